package authz

import (
	"entgo.io/ent/dialect/sql"

	"github.com/bridgesoftrust/hub/ent/newsitem"
	"github.com/bridgesoftrust/hub/ent/predicate"
	"github.com/bridgesoftrust/hub/ent/project"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// Readable predicates: the rows of a type that a viewer may read, as the
// type's query policy decides (the policies below call the same
// functions). Code that looks at such rows through another table (has-edge
// filters of a partnership, say), where the rows' own policy does not run,
// narrows them with these so that it sees exactly what the viewer lists.

// everything matches every row.
func everything(*sql.Selector) {}

// ReadableProjects matches the projects v reads: all for the secretariat
// and analysts; for others those past the concept stage and the concept
// projects of their own partnerships.
func ReadableProjects(v *viewer.Viewer) predicate.Project {
	if v.ReadsAll() {
		return everything
	}
	past := project.StatusNEQ(project.StatusCONCEPT)
	municipalities, associations := v.MunicipalityIDs(), v.AssociationIDs()
	if len(municipalities) == 0 && len(associations) == 0 {
		// No partnership of their own (an anonymous reader): a subquery
		// that can match nothing would still be planned and run per row.
		return past
	}
	return project.Or(past, project.HasPartnershipWith(partnershipsOf(municipalities, associations)))
}

// ReadableNewsItems matches the news items v reads: all for the
// secretariat; published items and their own drafts for others.
func ReadableNewsItems(v *viewer.Viewer) predicate.NewsItem {
	if v.IsSecretariat() {
		return everything
	}
	id := 0
	if v != nil {
		id = v.UserID
	}
	return newsitem.Or(newsitem.StatusEQ(newsitem.StatusPUBLISHED), newsitem.AuthorID(id))
}

// ReadablePosts matches the forum posts v reads: all for the secretariat;
// for others those of the categories they read that are not hidden or
// that they wrote.
func ReadablePosts(v *viewer.Viewer) predicate.Post {
	if v.IsSecretariat() {
		return everything
	}
	return visiblePosts(v)
}
