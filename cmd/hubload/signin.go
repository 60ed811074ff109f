package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// The sign-in attack mode (-signin-attack) measures what a password-guessing
// attack costs everyone else: -attackers streams send wrong passwords for
// -duration, each stream from its own loopback addresses (-addresses of
// them in turn: 127.0.1.x for the first stream, 127.0.2.x for the second...)
// and cycling through -victims e-mail addresses, as fast as the server answers;
// meanwhile one stream of ordinary requests, signed in as -email, alternates
// a query (me) and a write (updateUser on the signed-in account's display
// name). It prints the answers the attackers got and the latency of the
// ordinary requests.

// Queries of the ordinary stream and of the attackers.
const (
	meQuery     = `query { me { id displayName } }`
	renameQuery = `mutation($id: ID!, $n: String!) { updateUser(id: $id, input: {displayName: $n}) { id } }`
	loginQuery  = `mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }`
)

// sample is the outcome of one request: its latency and error code ("" for
// success, "transport" when no GraphQL answer came).
type sample struct {
	took time.Duration
	code string
}

// samples collects the outcomes of one kind of request.
type samples struct {
	mu   sync.Mutex
	list []sample
}

func (s *samples) add(took time.Duration, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.list = append(s.list, sample{took, code})
}

// timed sends one request with api and records its outcome in into.
func timed(ctx context.Context, api *api, into *samples, query string, vars map[string]any) {
	start := time.Now()
	r, err := api.send(ctx, query, vars)
	code := "transport"
	if err == nil {
		code = r.code()
	}
	if ctx.Err() == nil {
		into.add(time.Since(start), code)
	}
}

// runSignInAttack runs the sign-in attack mode and prints its report.
func runSignInAttack(ctx context.Context, cfg config) error {
	ordinary := newAPI(cfg.url)
	token, err := ordinary.login(ctx, cfg.email, cfg.password)
	if err != nil {
		return fmt.Errorf("signing in as %s: %w", cfg.email, err)
	}
	ordinary.token = token
	var me struct{ Me struct{ ID string } }
	if err := ordinary.do(ctx, meQuery, nil, &me); err != nil {
		return fmt.Errorf("reading me: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.duration)
	defer cancel()
	var attacks, reads, writes samples
	var wg sync.WaitGroup
	for i := range cfg.attackers {
		wg.Go(func() { attack(ctx, cfg, i, &attacks) })
	}
	logf("%d attackers and one ordinary stream for %s", cfg.attackers, cfg.duration)
	for n := 0; ctx.Err() == nil; n++ {
		timed(ctx, ordinary, &reads, meQuery, nil)
		timed(ctx, ordinary, &writes, renameQuery, map[string]any{"id": me.Me.ID, "n": fmt.Sprintf("Load test %d", n)})
	}
	wg.Wait()
	printSamples(os.Stdout, "attempts", &attacks)
	printSamples(os.Stdout, "query me", &reads)
	printSamples(os.Stdout, "updateUser", &writes)
	return nil
}

// attack sends wrong passwords from the loopback addresses of stream i
// (127.0.<i+1>.1 to 127.0.<i+1>.<-addresses>, in turn) until ctx ends.
func attack(ctx context.Context, cfg config, i int, into *samples) {
	apis := make([]*api, cfg.addresses)
	for j := range apis {
		apis[j] = newAPIFrom(cfg.url, &net.TCPAddr{IP: net.IPv4(127, 0, byte(i+1), byte(j+1))})
	}
	for n := 0; ctx.Err() == nil; n++ {
		email := fmt.Sprintf("victim%d@example.org", n%cfg.victims)
		timed(ctx, apis[n%len(apis)], into, loginQuery, map[string]any{"e": email, "p": fmt.Sprintf("guess %d of stream %d", n, i)})
	}
}

// printSamples writes the count, the answers by code and the latency
// percentiles of s.
func printSamples(w io.Writer, name string, s *samples) {
	codes := map[string]int{}
	took := make([]time.Duration, len(s.list))
	for i, x := range s.list {
		codes[cmp.Or(x.code, "ok")]++
		took[i] = x.took
	}
	slices.Sort(took)
	var answers []string
	for code, n := range codes {
		answers = append(answers, fmt.Sprintf("%s %d", code, n))
	}
	sort.Strings(answers)
	fmt.Fprintf(w, "%-11s %6d requests (%s)  p50 %s  p95 %s  p99 %s  max %s\n", name+":", len(took), strings.Join(answers, ", "),
		percentile(took, 50), percentile(took, 95), percentile(took, 99), percentile(took, 100))
}
