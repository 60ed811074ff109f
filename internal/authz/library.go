package authz

import (
	"context"

	"entgo.io/ent"

	gen "github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/document"
	"github.com/bridgesoftrust/hub/ent/documentfile"
	"github.com/bridgesoftrust/hub/ent/predicate"
	"github.com/bridgesoftrust/hub/ent/privacy"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// VisibleDocuments matches the library documents v may read (the
// secretariat reads all, through an earlier rule): published and archived
// documents, those for members only when v is signed in, and v's own
// documents at any stage. A file and its download follow its document.
func VisibleDocuments(v *viewer.Viewer) predicate.Document {
	released := document.StatusIn(document.StatusPUBLISHED, document.StatusARCHIVED)
	if v == nil {
		return document.And(released, document.VisibilityEQ(document.VisibilityPUBLIC))
	}
	return document.Or(released, document.AuthorID(v.UserID))
}

// DocumentVisibility filters documents to those the viewer may read.
func DocumentVisibility() privacy.QueryRule {
	return privacy.DocumentQueryRuleFunc(func(ctx context.Context, q *gen.DocumentQuery) error {
		q.Where(VisibleDocuments(viewer.FromContext(ctx)))
		return privacy.Allow
	})
}

// DocumentFileVisibility filters files to those of documents the viewer
// may read; a document's files loaded with it (LoadedThrough
// document.files) need no filter.
func DocumentFileVisibility() privacy.QueryRule {
	return privacy.DocumentFileQueryRuleFunc(func(ctx context.Context, q *gen.DocumentFileQuery) error {
		if q.LoadedThrough() != documentFiles {
			q.Where(documentfile.HasDocumentWith(VisibleDocuments(viewer.FromContext(ctx))))
		}
		return privacy.Allow
	})
}

// AllowDocumentAuthorWrites lets editors (staff who may change a
// municipality's, association's or organisation's data) create drafts,
// and the author change or delete a draft and submit it for review
// (status IN_REVIEW); publication is the secretariat's.
func AllowDocumentAuthorWrites() privacy.MutationRule {
	return privacy.DocumentMutationRuleFunc(func(ctx context.Context, m *gen.DocumentMutation) error {
		v := viewer.FromContext(ctx)
		_, publishes := m.PublishedAt()
		if _, notes := m.ReviewNote(); publishes || notes {
			return privacy.Skip
		}
		// A new document is a draft (the default); the author's one step is
		// submitting it.
		allowed := document.StatusIN_REVIEW
		if m.Op().Is(ent.OpCreate) {
			allowed = document.StatusDRAFT
		}
		if status, ok := m.Status(); ok && status != allowed {
			return privacy.Skip
		}
		if m.Op().Is(ent.OpCreate) {
			return allowIf(v.IsEditor(), nil)
		}
		id, ok := m.ID()
		if !ok {
			return privacy.Skip
		}
		return allowIf(isOwnDraft(ctx, m.Client(), v, id))
	})
}

// AllowDocumentFileWrites lets the author of a draft add and remove its
// files.
func AllowDocumentFileWrites() privacy.MutationRule {
	return privacy.DocumentFileMutationRuleFunc(func(ctx context.Context, m *gen.DocumentFileMutation) error {
		docID, ok := m.DocumentID()
		if id, exists := m.ID(); exists && !m.Op().Is(ent.OpCreate) {
			f, err := m.Client().DocumentFile.Get(SystemContext(ctx), id)
			if err != nil {
				return err
			}
			docID, ok = f.DocumentID, true
		}
		if !ok {
			return privacy.Skip
		}
		return allowIf(isOwnDraft(ctx, m.Client(), viewer.FromContext(ctx), docID))
	})
}

// isOwnDraft reports whether document id is a draft by v, who may still
// edit (the write scope and an editor's role).
func isOwnDraft(ctx context.Context, client *gen.Client, v *viewer.Viewer, id int) (bool, error) {
	if !v.IsEditor() {
		return false, nil
	}
	return client.Document.Query().
		Where(document.ID(id), document.AuthorID(v.UserID), document.StatusEQ(document.StatusDRAFT)).
		Exist(SystemContext(ctx))
}
