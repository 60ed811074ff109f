// Package health tells how alive a partnership is: when it was last
// active (its activities, projects, news and forum posts), its projects by
// status with the funding they secured, and which partnerships have gone
// quiet. Everything is decided on the records the viewer may read: the
// same privacy rules as the lists (internal/authz's readable predicates).
package health

import (
	"context"
	"fmt"
	"slices"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/activity"
	"github.com/bridgesoftrust/hub/ent/association"
	"github.com/bridgesoftrust/hub/ent/newsitem"
	"github.com/bridgesoftrust/hub/ent/partnership"
	"github.com/bridgesoftrust/hub/ent/post"
	"github.com/bridgesoftrust/hub/ent/predicate"
	"github.com/bridgesoftrust/hub/ent/project"
	"github.com/bridgesoftrust/hub/ent/topic"
	"github.com/bridgesoftrust/hub/internal/analytics"
	"github.com/bridgesoftrust/hub/internal/apierr"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// DefaultDormantMonths is how long a partnership stays quiet before it
// counts as dormant when the caller does not say.
const DefaultDormantMonths = 6

// PartnershipHealth is how alive one partnership is, as its viewer sees it.
type PartnershipHealth struct {
	// LastActivityAt is the latest of its activities' dates, its projects'
	// last changes, its news items' publication and the posts of the forum
	// topics about it; nil when none.
	LastActivityAt *time.Time
	// ProjectsByStatus counts its projects the viewer reads, by status.
	ProjectsByStatus []*analytics.StatusCount
	// FundingSecured sums the budgets of its funded, running and completed
	// projects, in euros.
	FundingSecured float64
}

// secured are the project statuses whose budget is funding secured.
var secured = []project.Status{project.StatusFUNDED, project.StatusIN_PROGRESS, project.StatusCOMPLETED}

// Batch returns the health of each of the partnerships ids the viewer in
// ctx reads, in two statements whatever their number: one groups their
// projects (through the project privacy policy, so a concept project the
// viewer may not read is not counted), one takes the latest date of their
// dated records the viewer reads.
func Batch(ctx context.Context, client *ent.Client, ids []int) (map[int]*PartnershipHealth, error) {
	out := make(map[int]*PartnershipHealth, len(ids))
	for _, id := range ids {
		out[id] = &PartnershipHealth{}
	}
	if err := addProjects(ctx, client, ids, out); err != nil {
		return nil, err
	}
	return out, addLastActivity(ctx, client, ids, out)
}

// addProjects counts the projects of the partnerships ids by status and
// sums the funding they secured.
func addProjects(ctx context.Context, client *ent.Client, ids []int, out map[int]*PartnershipHealth) error {
	var rows []struct {
		PartnershipID int            `json:"partnership_id"`
		Status        project.Status `json:"status"`
		Count         int            `json:"count"`
		Sum           *float64       `json:"sum"`
	}
	err := client.Project.Query().Where(project.PartnershipIDIn(ids...)).
		GroupBy(project.FieldPartnershipID, project.FieldStatus).
		Aggregate(ent.Count(), ent.Sum(project.FieldBudgetEur)).Scan(ctx, &rows)
	if err != nil {
		return err
	}
	for _, r := range rows {
		h := out[r.PartnershipID]
		h.ProjectsByStatus = append(h.ProjectsByStatus, &analytics.StatusCount{Status: r.Status, Count: r.Count})
		if r.Sum != nil && slices.Contains(secured, r.Status) {
			h.FundingSecured += *r.Sum
		}
	}
	for _, h := range out {
		slices.SortFunc(h.ProjectsByStatus, func(a, b *analytics.StatusCount) int { return compare(a.Status, b.Status) })
	}
	return nil
}

// compare orders project statuses by name.
func compare(a, b project.Status) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// addLastActivity sets the latest date of the dated records of the
// partnerships ids that the viewer reads.
func addLastActivity(ctx context.Context, client *ent.Client, ids []int, out map[int]*PartnershipHealth) error {
	v := viewer.FromContext(ctx)
	var rows []struct {
		ID int      `sql:"id"`
		At nullTime `sql:"at"`
	}
	err := client.Partnership.Query().Where(partnership.IDIn(ids...)).Modify(func(s *sql.Selector) {
		b := sql.Dialect(s.Dialect())
		dated := activitySince(s.Dialect(), v, func(s *sql.Selector, pid, _ string) { s.Where(sql.In(pid, anys(ids)...)) })
		latest := b.Select(dated.C("pid"), "MAX("+dated.C("at")+") AS "+s.Quote("at")).From(dated).GroupBy(dated.C("pid")).As("latest")
		s.LeftJoin(latest).On(s.C(partnership.FieldID), latest.C("pid"))
		s.Select(s.C(partnership.FieldID), latest.C("at"))
	}).Scan(ctx, &rows)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if r.At.Valid {
			at := r.At.Time
			out[r.ID].LastActivityAt = &at
		}
	}
	return nil
}

// anys returns ids as arguments.
func anys(ids []int) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// activitySince returns, as the table "dated" of columns pid and at, the
// dates at which the records that v reads name a partnership pid: the
// start and end of its activities, the last change of its projects, the
// publication of its news items and the writing of the posts of the forum
// topics about it. keep narrows each kind of record, given the SQL of pid
// and of at (a analytics.ComparableTime expression).
func activitySince(d string, v *viewer.Viewer, keep func(s *sql.Selector, pid, at string)) *sql.Selector {
	b := sql.Dialect(d)
	var kinds []*sql.Selector
	for _, field := range []string{activity.FieldStartDate, activity.FieldEndDate} {
		a, l := b.Table(activity.Table), b.Table(activity.PartnershipsTable)
		s := b.Select().From(a).Join(l).On(a.C(activity.FieldID), l.C(activity.PartnershipsPrimaryKey[1]))
		kinds = append(kinds, datedBy(s, l.C(activity.PartnershipsPrimaryKey[0]), a.C(field), keep))
	}
	pr := b.Select().From(b.Table(project.Table))
	authz.ReadableProjects(v)(pr)
	kinds = append(kinds, datedBy(pr, pr.C(project.FieldPartnershipID), pr.C(project.FieldUpdatedAt), keep))

	n, nl := b.Table(newsitem.Table), b.Table(newsitem.PartnershipsTable)
	news := b.Select().From(n).Join(nl).On(n.C(newsitem.FieldID), nl.C(newsitem.PartnershipsPrimaryKey[0]))
	authz.ReadableNewsItems(v)(news)
	kinds = append(kinds, datedBy(news, nl.C(newsitem.PartnershipsPrimaryKey[1]), n.C(newsitem.FieldPublishedAt), keep))

	p, tl := b.Table(post.Table), b.Table(topic.PartnershipsTable)
	posts := b.Select().From(p).Join(tl).On(p.C(post.FieldTopicID), tl.C(topic.PartnershipsPrimaryKey[0]))
	authz.ReadablePosts(v)(posts)
	kinds = append(kinds, datedBy(posts, tl.C(topic.PartnershipsPrimaryKey[1]), p.C(post.FieldCreatedAt), keep))

	for _, k := range kinds[1:] {
		kinds[0].UnionAll(k)
	}
	return kinds[0].As("dated")
}

// datedBy selects pid and the time column at of s, where both are set,
// narrowed by keep.
func datedBy(s *sql.Selector, pid, at string, keep func(s *sql.Selector, pid, at string)) *sql.Selector {
	t := analytics.ComparableTime(s.Dialect(), at)
	s.Select(pid+" AS "+s.Quote("pid"), t+" AS "+s.Quote("at")).Where(sql.And(sql.NotNull(pid), sql.NotNull(at)))
	keep(s, pid, t)
	return s
}

// nullTime scans a time that may be null, whether the driver gives a
// time (PostgreSQL) or analytics.ComparableTime's text (SQLite).
type nullTime struct {
	Time  time.Time
	Valid bool
}

// Scan implements sql.Scanner.
func (t *nullTime) Scan(src any) error {
	var err error
	switch v := src.(type) {
	case nil:
		t.Valid = false
		return nil
	case time.Time:
		t.Time = v
	case string:
		t.Time, err = time.ParseInLocation(time.DateTime, v, time.UTC)
	case []byte:
		t.Time, err = time.ParseInLocation(time.DateTime, string(v), time.UTC)
	default:
		err = fmt.Errorf("health: cannot scan %T as a time", src)
	}
	t.Valid = err == nil
	return err
}

// Dormant returns the query of the active partnerships older than months
// with no activity, project change, news item or forum post since then
// that the viewer reads (the dates LastActivityAt takes), for the API to
// page through. The secretariat sees all, an association's staff those
// their association facilitates; others are refused.
func Dormant(ctx context.Context, client *ent.Client, months int, now time.Time) (*ent.PartnershipQuery, error) {
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
	return q.Where(dormant(v, now.AddDate(0, -months, 0))), nil
}

// DormantCount counts the partnerships of the phase phaseID (all phases
// when nil) that Dormant would list for the secretariat, on the records
// the viewer in ctx reads: a number, open to every viewer.
func DormantCount(ctx context.Context, client *ent.Client, phaseID *int, now time.Time) (int, error) {
	q := client.Partnership.Query().Where(dormant(viewer.FromContext(ctx), now.AddDate(0, -DefaultDormantMonths, 0)))
	if phaseID != nil {
		q.Where(partnership.PhaseID(*phaseID))
	}
	return q.Count(ctx)
}

// dormant matches the active partnerships formed before since with no
// dated record that v reads since then.
func dormant(v *viewer.Viewer, since time.Time) predicate.Partnership {
	return partnership.And(
		partnership.StatusEQ(partnership.StatusACTIVE),
		partnership.CreatedAtLT(since),
		func(s *sql.Selector) {
			dated := activitySince(s.Dialect(), v, func(k *sql.Selector, _, at string) {
				k.Where(sql.P(func(b *sql.Builder) { b.WriteString(at + " >= ").Arg(analytics.ComparableTimeArg(s.Dialect(), since)) }))
			})
			s.Where(sql.NotIn(s.C(partnership.FieldID), sql.Dialect(s.Dialect()).Select(dated.C("pid")).From(dated)))
		},
	)
}
