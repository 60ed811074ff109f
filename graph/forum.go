package graph

import (
	"context"
	"slices"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/flag"
	"github.com/bridgesoftrust/hub/ent/reaction"
	"github.com/bridgesoftrust/hub/ent/user"
	"github.com/bridgesoftrust/hub/graph/model"
	"github.com/bridgesoftrust/hub/internal/apierr"
	"github.com/bridgesoftrust/hub/internal/viewer"
)

// The forum's mutations that take more than one statement. Each runs in
// the mutation's transaction (client is ent.FromContext); the privacy
// policies decide who may, the Ent hooks keep counters and notify.

// createTopic opens a topic with its first post and returns it with the
// counters the post's hooks set.
func createTopic(ctx context.Context, client *ent.Client, input model.CreateTopicInput) (*ent.Topic, error) {
	t, err := client.Topic.Create().SetCategoryID(input.CategoryID).SetTitle(input.Title).SetTags(input.Tags).
		AddPartnershipIDs(input.PartnershipIds...).Save(ctx)
	if err != nil {
		return nil, err
	}
	if err := client.Post.Create().SetTopicID(t.ID).SetBody(input.Body).Exec(ctx); err != nil {
		return nil, err
	}
	return client.Topic.Get(ctx, t.ID)
}

// updateVisible loads record id through the viewer's privacy filter, so
// that a record the viewer may not read looks missing rather than
// forbidden, and saves the change of it.
func updateVisible[T any](ctx context.Context, id int, get func(context.Context, int) (T, error), save func(T) (T, error)) (T, error) {
	rec, err := get(ctx, id)
	if err != nil {
		return rec, err
	}
	return save(rec)
}

// hidePost hides a post, recording the viewer as who hid it.
func hidePost(ctx context.Context, client *ent.Client, id int) error {
	return client.Post.UpdateOneID(id).SetHiddenAt(time.Now()).SetHiddenByID(viewer.ID(ctx)).Exec(ctx)
}

// react adds the viewer's reaction of kind to a post unless it exists.
func react(ctx context.Context, client *ent.Client, postID int, kind reaction.Kind) (*ent.Post, error) {
	exists, err := client.Reaction.Query().
		Where(reaction.PostID(postID), reaction.KindEQ(kind), reaction.UserID(viewer.ID(ctx))).Exist(ctx)
	if err == nil && !exists {
		err = client.Reaction.Create().SetPostID(postID).SetKind(kind).Exec(ctx)
	}
	if err != nil {
		return nil, err
	}
	return client.Post.Get(ctx, postID)
}

// flagPost reports a post, once per user.
func flagPost(ctx context.Context, client *ent.Client, postID int, reason string) (*ent.Flag, error) {
	flagged, err := client.Flag.Query().Where(flag.PostID(postID), flag.ReporterID(viewer.ID(ctx))).Exist(ctx)
	if err != nil {
		return nil, err
	}
	if flagged {
		return nil, apierr.Input("postId", "you have already flagged this post")
	}
	return client.Flag.Create().SetPostID(postID).SetReason(reason).Save(ctx)
}

// resolveFlag applies a moderator's action to the flagged post and
// resolves the flag with every other open flag of the post.
func resolveFlag(ctx context.Context, client *ent.Client, id int, action flag.Resolution) (*ent.Flag, error) {
	f, err := client.Flag.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := moderatePost(ctx, client, f.PostID, action); err != nil {
		return nil, err
	}
	err = client.Flag.Update().
		Where(flag.Or(flag.ID(id), flag.And(flag.PostID(f.PostID), flag.StatusEQ(flag.StatusOPEN)))).
		SetStatus(flag.StatusRESOLVED).SetResolution(action).SetResolvedAt(time.Now()).SetResolvedByID(viewer.ID(ctx)).
		Exec(ctx)
	if err != nil {
		return nil, err
	}
	return client.Flag.Get(ctx, id)
}

// moderatePost hides or restores a post; DISMISS leaves it.
func moderatePost(ctx context.Context, client *ent.Client, postID int, action flag.Resolution) error {
	switch action {
	case flag.ResolutionHIDE:
		return hidePost(ctx, client, postID)
	case flag.ResolutionRESTORE:
		return client.Post.UpdateOneID(postID).ClearHiddenAt().ClearHiddenBy().Exec(ctx)
	}
	return nil
}

// markRead marks one of the viewer's notifications read, keeping the time
// it was first read.
func markRead(ctx context.Context, client *ent.Client, id int) (*ent.Notification, error) {
	n, err := client.Notification.Get(ctx, id)
	if err != nil || n.ReadAt != nil {
		return n, err
	}
	return client.Notification.UpdateOne(n).SetReadAt(time.Now()).Save(ctx)
}

// flagResolvedBy returns the moderator who resolved a flag, for the
// secretariat only: the reporter sees that and how the flag was resolved,
// not by whom. The moderators of a whole list of flags are read at once.
func flagResolvedBy(ctx context.Context, client *ent.Client, f *ent.Flag) (*ent.User, error) {
	if f.ResolvedByID == nil || !viewer.FromContext(ctx).IsSecretariat() {
		return nil, nil
	}
	return batched(ctx, batchKey{kind: "flag resolver"}, *f.ResolvedByID, flagResolverIDs,
		func(ctx context.Context, ids []int) (map[int]*ent.User, error) {
			users, err := client.User.Query().Where(user.IDIn(ids...)).All(ctx)
			byID := make(map[int]*ent.User, len(ids))
			for _, id := range ids {
				byID[id] = nil
			}
			for _, u := range users {
				byID[u.ID] = u
			}
			return byID, err
		})
}

// flagResolverIDs returns the moderators who resolved the flags of a list
// of flags (nil for any other result).
func flagResolverIDs(result any) []int {
	var flags []*ent.Flag
	switch list := result.(type) {
	case []*ent.FlagEdge:
		flags = make([]*ent.Flag, len(list))
		for i, e := range list {
			flags[i] = e.Node
		}
	case []*ent.Flag:
		flags = list
	default:
		return nil
	}
	ids := []int{}
	for _, f := range flags {
		if f.ResolvedByID != nil && !slices.Contains(ids, *f.ResolvedByID) {
			ids = append(ids, *f.ResolvedByID)
		}
	}
	return ids
}
