// Package forum keeps what a write in the forum and the news entails: it
// renders Markdown, records edits, checks replies, links mentions, keeps
// the topics' counters, has the users concerned notified (internal/notify)
// and publishes the live events of internal/live (delivered after commit).
//
// Its follow-ups are registered on the store's client where the store is
// opened (Register, called by internal/db): they wrap the schema's hooks
// and privacy policy and act after the write, in the same transaction.
// The derivations of stored fields (PostDerivations, NewsDerivations) are
// declared by the schema, after the policy, which judges only what the
// caller set.
package forum

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
	"github.com/bridgesoftrust/hub/internal/live"
	"github.com/bridgesoftrust/hub/internal/markdown"
	"github.com/bridgesoftrust/hub/internal/mention"
	"github.com/bridgesoftrust/hub/internal/notify"
	"github.com/bridgesoftrust/hub/internal/validation"
)

// Register installs the forum's and the news' follow-ups on client (and
// so on every transaction it opens): counters, notifications and live
// events, run after the write and only once the policy allowed it.
func Register(client *gen.Client) {
	client.Topic.Use(publishTopic())
	client.Post.Use(afterPostWrite())
	client.NewsItem.Use(afterNewsWrite())
}

// PostDerivations are the hooks that derive a post's stored fields from
// what its author wrote: the rendered HTML, the edit time, the checked
// reply and the mentioned users. The schema declares them after the
// privacy policy, which judges only what the caller set: the Hub's own
// derived fields are not the caller's to set.
func PostDerivations() []ent.Hook {
	return []ent.Hook{
		renderMarkdown(post.FieldBody, post.FieldBodyHTML),
		markEdited(),
		validateReplyTo(),
		linkMentions(),
	}
}

// NewsDerivations are the hooks that derive a news item's stored fields
// (the rendered HTML), declared by the schema after its privacy policy.
func NewsDerivations() []ent.Hook {
	return []ent.Hook{renderMarkdown(newsitem.FieldBody, newsitem.FieldBodyHTML)}
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
				ids, err = m.Client().User.Query().Where(user.HandleIn(handles...), user.Disabled(false)).IDs(audit.Bookkeeping(ctx))
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
	old, err := m.OldHiddenAt(audit.Bookkeeping(ctx))
	return old != nil, err
}

// followPost does what a written post entails, in order: counters,
// notifications, the live event.
func followPost(ctx context.Context, m *gen.PostMutation, p *gen.Post, wasHidden bool) error {
	client := m.Client()
	created := m.Op().Is(ent.OpCreate)
	_, bodyChanged := m.Body()
	opening := false
	if created || bodyChanged || changesAny(m, post.FieldHiddenAt) {
		var err error
		if opening, err = isOpeningPost(audit.Bookkeeping(ctx), client, p); err != nil {
			return err
		}
	}
	if err := updateTopicCounters(ctx, client, p, created, wasHidden, opening); err != nil {
		return err
	}
	if bodyChanged {
		w := notify.PostWrite{Post: p, Created: created, Opening: opening, Mentioned: m.MentionsIDs()}
		if err := notify.Post(ctx, client, w); err != nil {
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
func updateTopicCounters(ctx context.Context, client *gen.Client, p *gen.Post, created, wasHidden, opening bool) error {
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
	update := client.Topic.UpdateOneID(p.TopicID)
	if !opening && delta != 0 {
		update.AddReplyCount(delta)
	}
	if created {
		update.SetLastActivityAt(p.CreatedAt)
	}
	return update.Exec(audit.Bookkeeping(ctx))
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

// afterNewsWrite notifies the audience of a published news item and
// publishes the change.
func afterNewsWrite() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.NewsItemFunc(func(ctx context.Context, m *gen.NewsItemMutation) (ent.Value, error) {
			v, err := next.Mutate(ctx, m)
			item, ok := v.(*gen.NewsItem)
			if err != nil || !ok || item.Status != newsitem.StatusPUBLISHED {
				return v, err
			}
			if err := notify.NewsAudience(ctx, m.Client(), item); err != nil {
				return nil, err
			}
			op := live.OpUpdated
			if _, publishing := m.Status(); publishing {
				op = live.OpPublished
			}
			return item, live.Publish(ctx, live.News, map[string]any{"newsItem": item.ID, "op": op})
		})
	}, ent.OpCreate|ent.OpUpdateOne)
}
