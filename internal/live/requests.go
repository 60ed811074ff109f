package live

import (
	"context"

	"github.com/bridgesoftrust/hub/ent"
	"github.com/bridgesoftrust/hub/ent/partnershiprequest"
)

// PartnershipRequestsUpdated streams partnership requests as they are
// proposed and move a step: request id, or every request when id is nil.
// Each is loaded in the subscriber's own viewer context, since who may see
// a request depends on the subscriber's memberships, not on an audience;
// a request the subscriber may not see is never sent, and subscribing to
// one answers as if it did not exist.
func (f *Feed) PartnershipRequestsUpdated(ctx context.Context, id *int) (<-chan *ent.PartnershipRequest, error) {
	topic, check := PartnershipRequests, noCheck
	if id != nil {
		topic = PartnershipRequest(*id)
		check = func(ctx context.Context) error {
			_, err := f.client.PartnershipRequest.Get(ctx, *id)
			return err
		}
	}
	return stream(ctx, f, source[*ent.PartnershipRequest]{
		topic:  topic,
		check:  check,
		replay: noReplay[*ent.PartnershipRequest],
		accept: func(ev event) bool { return ev.Request != 0 },
		load: func(ctx context.Context, _ audience, ev event) (*ent.PartnershipRequest, bool, error) {
			r, err := f.client.PartnershipRequest.Query().Where(partnershiprequest.ID(ev.Request)).Only(ctx)
			if ent.IsNotFound(err) {
				return nil, false, nil
			}
			return r, err == nil, err
		},
		id:      func(r *ent.PartnershipRequest) int { return r.ID },
		private: true,
	})
}
