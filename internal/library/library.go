// Package library runs the Hub's knowledge library: the review of
// documents (an editor's draft, submitted, published or sent back by the
// secretariat, archived) and their files, whose type is detected from the
// content and whose bytes go to a storage.Store. Ent privacy policies
// (internal/authz/library.go) decide who may do each step; this package
// checks that the step fits the document's stage.
package library

import (
	"context"
	"time"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/document"
	"github.com/bridgesoftrust/hub/internal/apierr"
)

// Submit sends the author's draft id to the secretariat for review.
func Submit(ctx context.Context, client *ent.Client, id int) (*ent.Document, error) {
	return move(ctx, client, id, document.StatusDRAFT, func(u *ent.DocumentUpdateOne) {
		u.SetStatus(document.StatusIN_REVIEW).ClearReviewNote()
	})
}

// Publish publishes document id, which is in review (the secretariat).
func Publish(ctx context.Context, client *ent.Client, id int) (*ent.Document, error) {
	return move(ctx, client, id, document.StatusIN_REVIEW, func(u *ent.DocumentUpdateOne) {
		u.SetStatus(document.StatusPUBLISHED).ClearReviewNote().SetPublishedAt(time.Now())
	})
}

// Reject sends document id, which is in review, back to its author as a
// draft, with the secretariat's note saying why.
func Reject(ctx context.Context, client *ent.Client, id int, note string) (*ent.Document, error) {
	return move(ctx, client, id, document.StatusIN_REVIEW, func(u *ent.DocumentUpdateOne) {
		u.SetStatus(document.StatusDRAFT).SetReviewNote(note)
	})
}

// Archive withdraws published document id from the current library; it
// stays readable (the secretariat).
func Archive(ctx context.Context, client *ent.Client, id int) (*ent.Document, error) {
	return move(ctx, client, id, document.StatusPUBLISHED, func(u *ent.DocumentUpdateOne) {
		u.SetStatus(document.StatusARCHIVED)
	})
}

// move changes document id, which must be at stage from, with change.
// A document the viewer may not read is not found.
func move(ctx context.Context, client *ent.Client, id int, from document.Status, change func(*ent.DocumentUpdateOne)) (*ent.Document, error) {
	doc, err := client.Document.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if doc.Status != from {
		return nil, apierr.Input("id", "the document is %s; this step needs it %s", doc.Status, from)
	}
	u := client.Document.UpdateOne(doc)
	change(u)
	return u.Save(ctx)
}
