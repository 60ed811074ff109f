package email

import (
	"context"
	"time"

	"github.com/bridgesoftrust/hub/ent/emaildelivery"
)

// Frequencies are the e-mails a run sends, in order.
var Frequencies = []emaildelivery.Frequency{emaildelivery.FrequencyIMMEDIATE, emaildelivery.FrequencyDAILY, emaildelivery.FrequencyWEEKLY}

// RunAll sends what is due at every frequency and retries failed
// e-mails; it returns how many e-mails it sent.
func (s *Sender) RunAll(ctx context.Context) (int, error) {
	total := 0
	for _, f := range Frequencies {
		n, err := s.Run(ctx, f)
		total += n
		if err != nil {
			return total, err
		}
	}
	n, err := s.Retry(ctx)
	return total + n, err
}

// Loop runs RunAll every interval until ctx is done (hub serve). Nothing
// is sent from a request: a sending failure never blocks one.
func (s *Sender) Loop(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.RunAll(ctx); err != nil && ctx.Err() == nil {
			s.Logger.WarnContext(ctx, "e-mail run", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
