package matchmaking

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Status is the step a partnership request has reached.
type Status string

// The steps of a partnership request. PROPOSED, ACCEPTED and FACILITATED
// are open; CONFIRMED, DECLINED and WITHDRAWN are final.
const (
	Proposed    Status = "PROPOSED"
	Accepted    Status = "ACCEPTED"
	Facilitated Status = "FACILITATED"
	Confirmed   Status = "CONFIRMED"
	Declined    Status = "DECLINED"
	Withdrawn   Status = "WITHDRAWN"
)

// Statuses lists every status in the order a request moves through them.
var Statuses = []Status{Proposed, Accepted, Facilitated, Confirmed, Declined, Withdrawn}

// OpenStatuses are the steps at which a request waits for someone.
var OpenStatuses = []Status{Proposed, Accepted, Facilitated}

// Values lists the status names, for Ent enum fields.
func (Status) Values() []string { return enumValues(Statuses) }

// MarshalGQL writes the status as a GraphQL enum value.
func (s Status) MarshalGQL(w io.Writer) { marshalEnum(w, s) }

// UnmarshalGQL reads a GraphQL enum value.
func (s *Status) UnmarshalGQL(v any) error { return unmarshalEnum(s, v, Statuses, "request status") }

// IsOpen reports whether the request still waits for a step.
func (s Status) IsOpen() bool { return slices.Contains(OpenStatuses, s) }

// Role is what a person is to a partnership request; a person may be
// several at once.
type Role uint8

// Roles towards a request.
const (
	// Initiator: an editor or admin of the municipality that proposed it.
	Initiator Role = 1 << iota
	// Receiver: an editor or admin of the other municipality.
	Receiver
	// Facilitator: an editor or admin of an association that can
	// facilitate it (the EU side's national association).
	Facilitator
	// Secretariat: the Hub secretariat, who may take every step.
	Secretariat
)

// Step is a move of a request from one status to another.
type Step struct {
	To   Status
	From []Status
	// By are the roles that may take the step.
	By Role
	// Who says who may take it, in a refusal.
	Who string
}

// The steps after a request is proposed. Expressing interest proposes a
// request (or, when the other side proposed first, accepts theirs).
var (
	StepAccept     = Step{To: Accepted, From: []Status{Proposed}, By: Receiver | Secretariat, Who: "the other municipality's editors or the secretariat"}
	StepFacilitate = Step{To: Facilitated, From: []Status{Accepted}, By: Facilitator | Secretariat, Who: "the EU side's national association or the secretariat"}
	StepConfirm    = Step{To: Confirmed, From: []Status{Facilitated}, By: Secretariat, Who: "the secretariat"}
	StepDecline    = Step{To: Declined, From: OpenStatuses, By: Receiver | Facilitator | Secretariat, Who: "the other municipality's editors, the facilitating association or the secretariat"}
	StepWithdraw   = Step{To: Withdrawn, From: OpenStatuses, By: Initiator | Receiver | Secretariat, Who: "the two municipalities' editors or the secretariat"}
)

// Steps lists every step after the proposal.
var Steps = []Step{StepAccept, StepFacilitate, StepConfirm, StepDecline, StepWithdraw}

// StepTo returns the step that ends at status, if any.
func StepTo(to Status) (Step, bool) {
	i := slices.IndexFunc(Steps, func(s Step) bool { return s.To == to })
	if i < 0 {
		return Step{}, false
	}
	return Steps[i], true
}

// CheckOrder says whether a request at status from can take step: nil,
// or a refusal that a person understands.
func (s Step) CheckOrder(from Status) error {
	if !slices.Contains(s.From, from) {
		return fmt.Errorf("the request is %s: it can be %s only when it is %s", lower(from), lower(s.To), joinLower(s.From))
	}
	return nil
}

// CheckRoles says whether someone with roles may take the step: nil, or a
// refusal that a person understands.
func (s Step) CheckRoles(roles Role) error {
	if roles&s.By == 0 {
		return fmt.Errorf("only %s can mark this request %s", s.Who, lower(s.To))
	}
	return nil
}

func lower(s Status) string { return strings.ToLower(string(s)) }

func joinLower(ss []Status) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = lower(s)
	}
	return strings.Join(out, " or ")
}
