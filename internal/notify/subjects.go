package notify

import (
	"context"
	"slices"

	gen "github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/forumcategory"
	"github.com/bridgesoftrust/hub/ent/membership"
	"github.com/bridgesoftrust/hub/ent/notification"
	"github.com/bridgesoftrust/hub/ent/topic"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/audit"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/matchmaking"
)

// PostWrite is a written post as the notifications see it.
type PostWrite struct {
	Post *gen.Post
	// Created is set for a new post, unset for an edit.
	Created bool
	// Opening is set for the first post of its topic (the topic's body).
	Opening bool
	// Mentioned are the users the body mentions.
	Mentioned []int
}

// Post notifies of a new or edited post: on creation the authors of the
// topic and of the post it answers (REPLY), and the users its body
// mentions (MENTION) unless they get a REPLY for it.
func Post(ctx context.Context, client *gen.Client, w PostWrite) error {
	ctx = audit.Bookkeeping(ctx)
	p := w.Post
	t, err := client.Topic.Query().Where(topic.ID(p.TopicID)).WithCategory().Only(ctx)
	if err != nil {
		return err
	}
	var repliedTo []int
	if !w.Opening {
		if repliedTo, err = replyRecipients(ctx, client, p, t); err != nil {
			return err
		}
	}
	n := Notice{Actor: p.AuthorID, Post: &p.ID, Topic: &p.TopicID}
	secretariatOnly := t.Edges.Category.Visibility == forumcategory.VisibilitySECRETARIAT
	if w.Created {
		n.Kind = notification.KindREPLY
		if err := Users(ctx, client, repliedTo, n, secretariatOnly); err != nil {
			return err
		}
	}
	n.Kind = notification.KindMENTION
	mentioned := slices.DeleteFunc(slices.Clone(w.Mentioned), func(id int) bool { return slices.Contains(repliedTo, id) })
	return Users(ctx, client, mentioned, n, secretariatOnly)
}

// replyRecipients returns the authors of topic t and of the post p
// answers.
func replyRecipients(ctx context.Context, client *gen.Client, p *gen.Post, t *gen.Topic) ([]int, error) {
	var ids []int
	if t.AuthorID != nil {
		ids = append(ids, *t.AuthorID)
	}
	if p.ReplyToID != nil {
		parent, err := client.Post.Get(ctx, *p.ReplyToID)
		if err != nil {
			return nil, err
		}
		if parent.AuthorID != nil {
			ids = append(ids, *parent.AuthorID)
		}
	}
	return ids, nil
}

// NewsAudience notifies the staff of the municipalities a published news
// item links, directly or through a partnership, once per item.
func NewsAudience(ctx context.Context, client *gen.Client, item *gen.NewsItem) error {
	actor := Actor(ctx)
	ctx = audit.Bookkeeping(ctx)
	municipalities, err := newsMunicipalities(ctx, client, item)
	if err != nil || len(municipalities) == 0 {
		return err
	}
	staff, err := client.User.Query().
		Where(user.HasMembershipsWith(membership.MunicipalityIDIn(municipalities...))).IDs(ctx)
	if err != nil {
		return err
	}
	return Users(ctx, client, staff, Notice{Kind: notification.KindNEWS, Actor: actor, News: &item.ID}, false)
}

// newsMunicipalities returns the ids of the municipalities a news item
// links and of both municipalities of each partnership it links.
func newsMunicipalities(ctx context.Context, client *gen.Client, item *gen.NewsItem) ([]int, error) {
	ids, err := client.NewsItem.QueryMunicipalities(item).IDs(ctx)
	if err != nil {
		return nil, err
	}
	partnerships, err := client.NewsItem.QueryPartnerships(item).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range partnerships {
		ids = append(ids, p.UkrainianMunicipalityID, p.EuropeanMunicipalityID)
	}
	return ids, nil
}

// RequestStep notifies everyone who may see the partnership request but
// the actor; the secretariat only when the next step is theirs
// (FACILITATED).
func RequestStep(ctx context.Context, client *gen.Client, r *gen.PartnershipRequest) error {
	actor := Actor(ctx)
	ctx = audit.Bookkeeping(ctx)
	recipients, err := authz.RequestAudience(ctx, client, r, r.Status == matchmaking.Facilitated)
	if err != nil {
		return err
	}
	kind := notification.Kind("REQUEST_" + string(r.Status))
	return Users(ctx, client, recipients, Notice{Kind: kind, Actor: actor, Request: &r.ID}, false)
}
