package authz

import (
	"github.com/bridgesoftrust/hub/ent/document"
	"github.com/bridgesoftrust/hub/ent/event"
	"github.com/bridgesoftrust/hub/ent/post"
	"github.com/bridgesoftrust/hub/ent/topic"
)

// Edges whose rows are visible with their parents: their read rules state
// the parents' rule again (posts are visible in visible topics), which a
// query loading them for parents that rule has just filtered
// (LoadedThrough) leaves out. The parents' and children's policies must
// allow the same viewers first (AllowSecretariat, AllowReadsAll) and then
// filter with the same rule; TestEdgeLoadsReadWhatTheViewerReads (a
// schema walk) checks it on data.
const (
	topicPosts    = topic.Label + "." + topic.EdgePosts
	postReactions = post.Label + "." + post.EdgeReactions
	documentFiles = document.Label + "." + document.EdgeFiles
	eventSessions = event.Label + "." + event.EdgeSessions
)
