package schema

import (
	"context"
	"errors"
	"slices"
	"time"

	"entgo.io/ent"

	gen "github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/hook"
	"github.com/bridgesoftrust/hub/ent/newsitem"
	"github.com/bridgesoftrust/hub/ent/post"
	"github.com/bridgesoftrust/hub/ent/topic"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/internal/audit"
	"github.com/bridgesoftrust/hub/internal/authz"
	"github.com/bridgesoftrust/hub/internal/live"
	"github.com/bridgesoftrust/hub/internal/markdown"
	"github.com/bridgesoftrust/hub/internal/mention"
	"github.com/bridgesoftrust/hub/internal/validation"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// Hooks of the forum and news. They run after the privacy policy, in the
// mutation's transaction: they fill in the author, render Markdown, link
// mentions, keep the topic's counters, notify users and publish the live
// events of internal/live (delivered after commit).

func topicHooks() []ent.Hook {
	return []ent.Hook{defaultViewer(topic.FieldAuthorID), publishTopic()}
}

func postHooks() []ent.Hook {
	return []ent.Hook{
		defaultViewer(post.FieldAuthorID),
		renderMarkdown(post.FieldBody, post.FieldBodyHTML),
		markEdited(),
		validateReplyTo(),
		linkMentions(),
		afterPostWrite(),
	}
}

func reactionHooks() []ent.Hook { return []ent.Hook{defaultViewer("user_id")} }

func flagHooks() []ent.Hook { return []ent.Hook{defaultViewer("reporter_id")} }

func newsItemHooks() []ent.Hook {
	return []ent.Hook{
		defaultViewer(newsitem.FieldAuthorID),
		renderMarkdown(newsitem.FieldBody, newsitem.FieldBodyHTML),
		stampPublication(),
		afterNewsWrite(),
	}
}

// bookkeeping returns the context for the Hub's own follow-up writes of a
// change (counters, notifications): allowed by every policy and kept out
// of the audit log, the change itself being recorded there.
func bookkeeping(ctx context.Context) context.Context {
	return audit.WithoutAudit(authz.SystemContext(ctx))
}

// viewerID returns the signed-in user's id, or 0.
func viewerID(ctx context.Context) int {
	if v := viewer.FromContext(ctx); v != nil {
		return v.UserID
	}
	return 0
}

// defaultViewer sets the user-id field to the signed-in user on creation
// when the mutation leaves it unset.
func defaultViewer(field string) ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			if _, set := m.Field(field); !set && viewerID(ctx) != 0 {
				if err := m.SetField(field, viewerID(ctx)); err != nil {
					return nil, err
				}
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate)
}

// renderMarkdown stores the sanitized HTML of the Markdown field src in
// dst whenever src is set.
func renderMarkdown(src, dst string) ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			if v, ok := m.Field(src); ok {
				text, _ := v.(string)
				if err := m.SetField(dst, markdown.Render(text)); err != nil {
					return nil, err
				}
			}
			return next.Mutate(ctx, m)
		})
	}
}

// markEdited records when a post's body was changed.
func markEdited() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.PostFunc(func(ctx context.Context, m *gen.PostMutation) (ent.Value, error) {
			if _, ok := m.Body(); ok {
				m.SetEditedAt(time.Now())
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpUpdate|ent.OpUpdateOne)
}

// validateReplyTo checks that a post answers a post of its own topic that
// the author can see.
func validateReplyTo() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.PostFunc(func(ctx context.Context, m *gen.PostMutation) (ent.Value, error) {
			id, ok := m.ReplyToID()
			if !ok {
				return next.Mutate(ctx, m)
			}
			parent, err := m.Client().Post.Query().Where(post.ID(id)).Only(ctx)
			if gen.IsNotFound(err) {
				return nil, validation.Errorf("replyToId", "post %d does not exist", id)
			}
			if err != nil {
				return nil, err
			}
			if topicID, _ := m.TopicID(); parent.TopicID != topicID {
				return nil, validation.Errorf("replyToId", "post %d is in another topic", id)
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate)
}

// linkMentions links a post to the users its body mentions by handle.
func linkMentions() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.PostFunc(func(ctx context.Context, m *gen.PostMutation) (ent.Value, error) {
			body, ok := m.Body()
			if !ok {
				return next.Mutate(ctx, m)
			}
			var ids []int
			if handles := mention.Handles(body); len(handles) > 0 {
				var err error
				ids, err = m.Client().User.Query().Where(user.HandleIn(handles...), user.Disabled(false)).IDs(bookkeeping(ctx))
				if err != nil {
					return nil, err
				}
			}
			if !m.Op().Is(ent.OpCreate) {
				m.ClearMentions()
			}
			m.AddMentionIDs(ids...)
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate|ent.OpUpdateOne)
}

// afterPostWrite keeps the topic's counters, notifies the users a new or
// edited post concerns and publishes the change.
func afterPostWrite() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.PostFunc(func(ctx context.Context, m *gen.PostMutation) (ent.Value, error) {
			if m.Op().Is(ent.OpUpdate) && changesAny(m, post.FieldBody, post.FieldHiddenAt) {
				return nil, errors.New("posts: change bodies and visibility one post at a time")
			}
			wasHidden, err := postWasHidden(ctx, m)
			if err != nil {
				return nil, err
			}
			v, err := next.Mutate(ctx, m)
			if err != nil || m.Op().Is(ent.OpUpdate) {
				return v, err
			}
			p, ok := v.(*gen.Post)
			if !ok {
				return v, nil
			}
			return p, followPost(ctx, m, p, wasHidden)
		})
	}, ent.OpCreate|ent.OpUpdate|ent.OpUpdateOne)
}

// postWasHidden reports whether the post an update changes the visibility
// of was hidden before.
func postWasHidden(ctx context.Context, m *gen.PostMutation) (bool, error) {
	if !m.Op().Is(ent.OpUpdateOne) || !changesAny(m, post.FieldHiddenAt) {
		return false, nil
	}
	old, err := m.OldHiddenAt(bookkeeping(ctx))
	return old != nil, err
}

// followPost does what a written post entails, in order: counters,
// notifications, the live event.
func followPost(ctx context.Context, m *gen.PostMutation, p *gen.Post, wasHidden bool) error {
	client := m.Client()
	created := m.Op().Is(ent.OpCreate)
	if err := updateTopicCounters(ctx, client, p, created, wasHidden); err != nil {
		return err
	}
	if _, bodyChanged := m.Body(); bodyChanged {
		if err := notifyPost(ctx, client, p, created, m.MentionsIDs()); err != nil {
			return err
		}
	}
	op := live.OpUpdated
	if created {
		op = live.OpCreated
	}
	return live.Publish(ctx, live.TopicPosts(p.TopicID), map[string]any{"post": p.ID, "op": op})
}

// updateTopicCounters keeps the topic's reply count (visible posts after
// the first) and last activity. Increments are atomic in SQL, so
// concurrent replies count correctly.
func updateTopicCounters(ctx context.Context, client *gen.Client, p *gen.Post, created, wasHidden bool) error {
	hidden := p.HiddenAt != nil
	delta := 0
	switch {
	case created && !hidden, wasHidden && !hidden:
		delta = 1
	case !wasHidden && hidden:
		delta = -1
	}
	if delta == 0 && !created {
		return nil
	}
	ctx = bookkeeping(ctx)
	opening, err := isOpeningPost(ctx, client, p)
	if err != nil {
		return err
	}
	update := client.Topic.UpdateOneID(p.TopicID)
	if !opening && delta != 0 {
		update.AddReplyCount(delta)
	}
	if created {
		update.SetLastActivityAt(p.CreatedAt)
	}
	return update.Exec(ctx)
}

// isOpeningPost reports whether p is the first post of its topic, the
// topic's body, which is not counted as a reply.
func isOpeningPost(ctx context.Context, client *gen.Client, p *gen.Post) (bool, error) {
	earlier, err := client.Post.Query().Where(post.TopicID(p.TopicID), post.IDLT(p.ID)).Exist(ctx)
	return !earlier, err
}

// publishTopic publishes created topics and changes of a topic other than
// its counters.
func publishTopic() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.TopicFunc(func(ctx context.Context, m *gen.TopicMutation) (ent.Value, error) {
			v, err := next.Mutate(ctx, m)
			t, ok := v.(*gen.Topic)
			if err != nil || !ok {
				return v, err
			}
			op := live.OpCreated
			if !m.Op().Is(ent.OpCreate) {
				op = live.OpUpdated
				if changesOnlyCounters(m) {
					return v, nil
				}
			}
			payload := map[string]any{"topic": t.ID, "op": op}
			if err := live.Publish(ctx, live.CategoryTopics(t.CategoryID), payload); err != nil {
				return v, err
			}
			return v, live.Publish(ctx, live.AllTopics, payload)
		})
	}, ent.OpCreate|ent.OpUpdateOne)
}

// changesOnlyCounters reports whether a topic update only keeps counters.
func changesOnlyCounters(m *gen.TopicMutation) bool {
	for _, f := range slices.Concat(m.Fields(), m.AddedFields()) {
		if f != topic.FieldReplyCount && f != topic.FieldLastActivityAt && f != topic.FieldUpdatedAt {
			return false
		}
	}
	return true
}

// changesAny reports whether m sets or clears any of the fields.
func changesAny(m ent.Mutation, fields ...string) bool {
	for _, f := range fields {
		if _, set := m.Field(f); set || m.FieldCleared(f) {
			return true
		}
	}
	return false
}
