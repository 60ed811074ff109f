// Package health tells how alive a partnership is: when it was last
// active (its activities, projects and news), its projects by status with
// the funding they secured, and which partnerships have gone quiet.
package health

import (
	"context"
	"github.com/bridgesoftrust/hub/internal/analytics"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/activity"
	"github.com/bridgesoftrust/hub/ent/association"
	"github.com/bridgesoftrust/hub/ent/newsitem"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/ent/predicate"
	"github.com/bridgesoftrust/hub/ent/project"
	"github.com/bridgesoftrust/hub/internal/apierr"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// DefaultDormantMonths is how long a partnership stays quiet before it
// counts as dormant when the caller does not say.
const DefaultDormantMonths = 6

// PartnershipHealth is how alive one partnership is, as its viewer sees it.
type PartnershipHealth struct {
	// LastActivityAt is the latest of its activities' dates, its projects'
	// last changes and its news items' publication; nil when none.
	LastActivityAt *time.Time
	// ProjectsByStatus counts its projects the viewer reads, by status.
	ProjectsByStatus []*analytics.StatusCount
	// FundingSecured sums the budgets of its funded, running and completed
	// projects, in euros.
	FundingSecured float64
}

// secured are the project statuses whose budget is funding secured.
var secured = []project.Status{project.StatusFUNDED, project.StatusIN_PROGRESS, project.StatusCOMPLETED}

// Of returns the health of the partnership p through the viewer's queries,
// so privacy applies (a concept project the viewer may not read is not
// counted).
func Of(ctx context.Context, client *ent.Client, p *ent.Partnership) (*PartnershipHealth, error) {
	h := &PartnershipHealth{}
	var rows []struct {
		Status project.Status `json:"status"`
		Count  int            `json:"count"`
		Sum    *float64       `json:"sum"`
	}
	err := client.Project.Query().Where(project.PartnershipID(p.ID)).GroupBy(project.FieldStatus).
		Aggregate(ent.Count(), ent.Sum(project.FieldBudgetEur)).Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		h.ProjectsByStatus = append(h.ProjectsByStatus, &analytics.StatusCount{Status: r.Status, Count: r.Count})
		if r.Sum != nil && isSecured(r.Status) {
			h.FundingSecured += *r.Sum
		}
	}
	h.LastActivityAt, err = lastActivity(ctx, client, p.ID)
	return h, err
}

// isSecured reports whether a project of status s has secured its budget.
func isSecured(s project.Status) bool {
	for _, v := range secured {
		if v == s {
			return true
		}
	}
	return false
}

// lastActivity returns the latest date of the partnership's activities,
// projects and published news items the viewer reads.
func lastActivity(ctx context.Context, client *ent.Client, id int) (*time.Time, error) {
	var latest *time.Time
	keep := func(t time.Time) {
		if latest == nil || t.After(*latest) {
			latest = &t
		}
	}
	of := activity.HasPartnershipsWith(partnership.ID(id))
	for _, field := range []string{activity.FieldStartDate, activity.FieldEndDate} {
		a, err := client.Activity.Query().Where(of, notNull(field)).Order(ent.Desc(field)).First(ctx)
		if err == nil {
			if field == activity.FieldStartDate {
				keep(*a.StartDate)
			} else {
				keep(*a.EndDate)
			}
		} else if !ent.IsNotFound(err) {
			return nil, err
		}
	}
	if pr, err := client.Project.Query().Where(project.PartnershipID(id)).Order(ent.Desc(project.FieldUpdatedAt)).First(ctx); err == nil {
		keep(pr.UpdatedAt)
	} else if !ent.IsNotFound(err) {
		return nil, err
	}
	n, err := client.NewsItem.Query().Where(newsitem.HasPartnershipsWith(partnership.ID(id)), newsitem.PublishedAtNotNil()).
		Order(ent.Desc(newsitem.FieldPublishedAt)).First(ctx)
	if err == nil {
		keep(*n.PublishedAt)
	} else if !ent.IsNotFound(err) {
		return nil, err
	}
	return latest, nil
}

// notNull matches activities whose date field is set.
func notNull(field string) predicate.Activity {
	if field == activity.FieldStartDate {
		return activity.StartDateNotNil()
	}
	return activity.EndDateNotNil()
}

// Dormant returns the active partnerships older than months with no
// activity, project change or published news item since then, by id; one
// statement. The secretariat sees all, an association's staff those their
// association facilitates; others are refused.
func Dormant(ctx context.Context, client *ent.Client, months int, now time.Time) ([]*ent.Partnership, error) {
	if months < 1 || months > 120 {
		return nil, apierr.Input("months", "months must be between 1 and 120")
	}
	v := viewer.FromContext(ctx)
	q := client.Partnership.Query()
	switch {
	case v.IsSecretariat():
	case len(v.AssociationIDs()) > 0:
		q = q.Where(partnership.HasFacilitatorsWith(association.IDIn(v.AssociationIDs()...)))
	default:
		return nil, apierr.New(apierr.Forbidden, "dormant partnerships are for the secretariat and facilitating associations")
	}
	since := now.AddDate(0, -months, 0)
	return q.Where(
		partnership.StatusEQ(partnership.StatusACTIVE),
		partnership.CreatedAtLT(since),
		partnership.Not(partnership.HasActivitiesWith(activity.Or(activity.StartDateGTE(since), activity.EndDateGTE(since)))),
		partnership.Not(partnership.HasProjectsWith(project.UpdatedAtGTE(since))),
		partnership.Not(partnership.HasNewsItemsWith(newsitem.PublishedAtGTE(since))),
	).Order(ent.Asc(partnership.FieldID)).All(ctx)
}
