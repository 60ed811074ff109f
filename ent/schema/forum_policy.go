package schema

import (
	"entgo.io/ent"

	"github.com/bridgesoftrust/hub/ent/privacy"
	"github.com/bridgesoftrust/hub/internal/authz"
)

// Policies of the forum, news and notifications; the rules live in
// internal/authz/forum.go. Query policies end in a filter, mutation
// policies in a deny.

func forumCategoryPolicy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{authz.AllowSecretariat(), authz.ForumCategoryVisibility()},
		Mutation: authz.WritePolicy(),
	}
}

func topicPolicy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{authz.AllowSecretariat(), authz.TopicVisibility()},
		Mutation: authz.WritePolicy(authz.AllowTopicCreate()),
	}
}

func postPolicy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{authz.AllowSecretariat(), authz.PostVisibility()},
		Mutation: authz.WritePolicy(authz.AllowPostCreate(), authz.AllowAuthorPostChanges()),
	}
}

func reactionPolicy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{authz.AllowSecretariat(), authz.ReactionVisibility()},
		Mutation: authz.WritePolicy(authz.AllowOwnReactions()),
	}
}

func flagPolicy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{authz.AllowSecretariat(), authz.OwnFlags()},
		Mutation: authz.WritePolicy(authz.AllowFlagCreate()),
	}
}

func newsItemPolicy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{authz.AllowSecretariat(), authz.NewsItemVisibility()},
		Mutation: authz.WritePolicy(authz.AllowNewsEditors()),
	}
}

// notificationPolicy shows everyone, the secretariat included, only their
// own notifications.
func notificationPolicy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{authz.OwnNotifications()},
		Mutation: authz.NotificationWritePolicy(),
	}
}
