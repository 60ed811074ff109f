// Package live names the events that the forum, news and notifications
// publish for GraphQL subscriptions, and publishes them after commit.
//
// The Ent hooks of Topic, Post, NewsItem and Notification call Publish
// for every committed change a subscriber must see. Publish sends the event
// through the PubSub that the request's context carries (see WithPubSub)
// with pubsub.PublishAfterCommit, so it is delivered only if the
// mutation's transaction commits; without a PubSub in the context (tests,
// seeding, the command line) it does nothing.
//
// Topics and payloads (payloads carry ids only):
//
//	topic-category:<categoryID>  {"topic":<id>,"op":"created"|"updated"}
//	topic-category:all           the same, for every category
//	topic:<topicID>              {"post":<id>,"op":"created"|"updated"}
//	news                         {"newsItem":<id>,"op":"published"|"updated"}
//	notification:user:<userID>   {"kind":"REPLY"|"MENTION"|"NEWS"|"REQUEST_<status>","subject":<id>}
//	partnership-request:<id>     {"request":<id>,"op":"updated"}
//	partnership-requests         the same, for every partnership request
//
// The Feed serves the subscription resolvers: per topic it keeps one PubSub
// subscription shared by the topic's subscribers in the process, and on
// every event (and once at the start, for a client that passes after:
// <cursor>) loads the rows through the Ent client in a viewer context of
// the subscriber's audience, so privacy policies decide what each
// subscriber sees. Events are hints; the database is the record. Each
// payload also carries "at", when it was published (Unix milliseconds).
package live

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"time"

	"github.com/bridgesoftrust/hub/internal/pubsub"
)

// Operations named in payloads.
const (
	OpCreated   = "created"
	OpUpdated   = "updated"
	OpPublished = "published"
)

// News is the topic of published news items.
const News = "news"

// AllTopics is the topic of every topic created or changed, in any category.
const AllTopics = "topic-category:all"

// CategoryTopics is the topic of the topics created or changed in a forum
// category.
func CategoryTopics(categoryID int) string { return fmt.Sprintf("topic-category:%d", categoryID) }

// TopicPosts is the topic of the posts created or changed in a topic.
func TopicPosts(topicID int) string { return fmt.Sprintf("topic:%d", topicID) }

// UserNotifications is the topic of the notifications of one user.
func UserNotifications(userID int) string { return fmt.Sprintf("notification:user:%d", userID) }

// PartnershipRequests is the topic of every partnership request proposed
// or moved a step.
const PartnershipRequests = "partnership-requests"

// PartnershipRequest is the topic of one partnership request's steps.
func PartnershipRequest(id int) string { return fmt.Sprintf("partnership-request:%d", id) }

type contextKey struct{}

// WithPubSub returns ctx carrying ps, through which Publish sends events.
// The server puts its PubSub into every request's context.
func WithPubSub(ctx context.Context, ps pubsub.PubSub) context.Context {
	return context.WithValue(ctx, contextKey{}, ps)
}

// Publish sends an event on topic with payload (encoded as JSON) once the
// transaction in ctx commits, through the PubSub of ctx; it does nothing
// when ctx carries none.
func Publish(ctx context.Context, topic string, payload any) error {
	ps, _ := ctx.Value(contextKey{}).(pubsub.PubSub)
	if ps == nil {
		return nil
	}
	if m, ok := payload.(map[string]any); ok {
		// Stamped for the delivery lag (Feed.ObserveDelivery).
		m = maps.Clone(m)
		m["at"] = time.Now().UnixMilli()
		payload = m
	}
	raw, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("live: encoding the payload of %s: %w", topic, err)
	}
	return pubsub.PublishAfterCommit(ctx, ps, pubsub.Event{Topic: topic, Payload: raw})
}
