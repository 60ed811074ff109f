// Command hubload measures the Hub's subscriptions under load: it opens N
// websocket connections (graphql-transport-ws), each subscribed to
// postAdded of one topic, then writes M posts over GraphQL/HTTP at a given
// rate and records, per post and subscriber, the delivery latency: from
// just before the createPost request is sent to the arrival of the post on
// the subscriber's socket (posts are matched by a run id and sequence
// number in their body). It prints the connections established, the
// deliveries expected and received, the p50/p95/p99/max latency and, per
// post, the latency of its first and last delivery (the fan-out). Given
// the server's process id, it also reads the server's resident memory
// (VmRSS) before the connections are opened and once they are open, idle
// and subscribed, each time after a settle time (the Go runtime returns
// freed memory to the system gradually), and prints the difference per
// connection; use thousands of connections, so that it dominates the noise.
//
// It is a measurement tool, not a test: it runs against a `hub serve` the
// caller started, on loopback. For example, with the demo data set:
//
//	ulimit -n 20000   # each connection is a file in both processes
//	hub serve --demo --rate-limit-user 0 --rate-limit-anonymous 0 &
//	go run ./cmd/hubload -url http://127.0.0.1:8080 -subscribers 10000 \
//		-posts 20 -rate 2 -pid $!
//
// With -per-connection K each connection carries K subscriptions (the
// protocol multiplexes them by id): a way to hold more subscribers than
// the open-file limit allows connections.
//
// With -topics N the subscribers are spread over N topics (subscriber n on
// topic n mod N) and the posts go to the topics in turn, -rate posts per
// second in all: each post reaches its topic's subscribers only. Many
// connections need open files (one per connection, in this tool and in
// the server: the tool checks its own limit) and source addresses: over
// loopback each source address has about 28,000 ephemeral ports towards
// one server port, so the connections leave from -sources addresses
// (127.0.0.1, 127.0.0.2...; by default one per 20,000 connections).
//
// By default it signs in as the demo secretariat (-email, -password) and
// creates a PUBLIC category and the topics for the run; -topic uses
// existing topics instead, -token an existing session or API key. The
// subscribers use the same credentials, or none with -anonymous, or those
// of -users accounts created for the run, in turn. See
// docs/realtime.md for the method and the numbers measured.
//
// With -signin-attack it measures instead what a password-guessing attack
// costs other requests (see signin.go and the README's performance
// section).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"
)

// config is what the flags set.
type config struct {
	url         string
	email       string
	password    string
	token       string
	topic       string
	topicIDs    []string // the topics subscribed to and posted in (see -topics)
	topics      int
	sources     int
	anonymous   bool
	users       int
	tokens      []string // the subscribers' credentials, in turn (see -users)
	subscribers int
	perConn     int
	dialers     int
	posts       int
	rate        float64
	pid         int
	settle      time.Duration
	drain       time.Duration
	cpuProfile  string
	signIn      bool
	attackers   int
	victims     int
	addresses   int
	duration    time.Duration
}

func parseFlags() config {
	var c config
	flag.StringVar(&c.url, "url", "http://127.0.0.1:8080", "base URL of the Hub (GraphQL at /graphql, websocket on the same path)")
	flag.StringVar(&c.email, "email", "secretariat@demo.bridgesoftrust.invalid", "account to sign in with (creates the category and topic and writes the posts)")
	flag.StringVar(&c.password, "password", "demo only: bridges of trust", "password of -email")
	flag.StringVar(&c.token, "token", "", "session token or API key to use instead of signing in")
	flag.StringVar(&c.topic, "topic", "", "topic ids to post in, separated by commas (default: create a PUBLIC category and -topics topics)")
	flag.IntVar(&c.topics, "topics", 1, "topics to create; subscriber n subscribes to topic n mod -topics, and the posts go to the topics in turn")
	flag.IntVar(&c.sources, "sources", 0, "loopback addresses the connections leave from, in turn (127.0.0.1, 127.0.0.2...), each with its own ephemeral ports; 0: one per 20,000 connections")
	flag.BoolVar(&c.anonymous, "anonymous", false, "subscribe without credentials (the topic must be PUBLIC)")
	flag.IntVar(&c.users, "users", 0, "spread the subscribers over this many accounts created for the run, each signed in once (0: all use the signing-in account)")
	flag.IntVar(&c.subscribers, "subscribers", 1000, "postAdded subscriptions, each a subscriber")
	flag.IntVar(&c.perConn, "per-connection", 1, "subscriptions each websocket connection carries (graphql-transport-ws multiplexes them by id): -subscribers 100000 -per-connection 10 opens 10,000 connections")
	flag.IntVar(&c.dialers, "dialers", 100, "connections opened at once")
	flag.IntVar(&c.posts, "posts", 20, "posts to write")
	flag.Float64Var(&c.rate, "rate", 2, "posts per second in all (with -topics N, each topic gets rate/N)")
	flag.IntVar(&c.pid, "pid", 0, "process id of the server, to read its resident memory (Linux /proc)")
	flag.DurationVar(&c.settle, "settle", 10*time.Second, "wait before each reading of the server's memory (before and after opening the connections)")
	flag.DurationVar(&c.drain, "drain", 30*time.Second, "longest wait for deliveries after the last post")
	flag.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of this tool during the posts to this file")
	flag.BoolVar(&c.signIn, "signin-attack", false, "measure ordinary requests during a sign-in attack instead of subscriptions (see signin.go)")
	flag.IntVar(&c.attackers, "attackers", 6, "sign-in attack mode: streams of wrong passwords, each from its own loopback address")
	flag.IntVar(&c.victims, "victims", 100, "sign-in attack mode: e-mail addresses the attackers cycle through")
	flag.IntVar(&c.addresses, "addresses", 1, "sign-in attack mode: loopback addresses each attacker cycles through (1 to 254)")
	flag.DurationVar(&c.duration, "duration", 20*time.Second, "sign-in attack mode: how long the attack lasts")
	flag.Parse()
	return c
}

func main() {
	cfg := parseFlags()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "hubload:", err)
		os.Exit(1)
	}
}

// run performs one measurement and prints its report.
func run(ctx context.Context, cfg config) error {
	if cfg.signIn {
		if cfg.addresses < 1 || cfg.addresses > 254 || cfg.victims < 1 {
			return errors.New("-addresses must be 1 to 254 and -victims positive")
		}
		return runSignInAttack(ctx, cfg)
	}
	if cfg.subscribers < 1 || cfg.perConn < 1 || cfg.posts < 1 || cfg.rate <= 0 || cfg.topics < 1 || cfg.sources < 0 || cfg.sources > 254 {
		return errors.New("-subscribers, -per-connection, -posts, -rate and -topics must be positive, -sources 0 to 254")
	}
	if cfg.sources == 0 {
		cfg.sources = (connections(cfg) + connectionsPerSource - 1) / connectionsPerSource
	}
	if err := checkFileLimit(connections(cfg)); err != nil {
		return err
	}
	api := newAPI(cfg.url)
	if err := prepare(ctx, api, &cfg); err != nil {
		return err
	}
	if err := subscriberTokens(ctx, api, &cfg); err != nil {
		return err
	}
	ck := newClock(cfg.posts, len(cfg.topicIDs))
	if cfg.pid > 0 {
		logf("settling %s before reading the server's memory", cfg.settle)
		sleep(ctx, cfg.settle)
	}
	r := report{config: cfg, rssBefore: rss(cfg.pid)}
	subs := connect(ctx, cfg, api.wsURL(), ck, &r)
	defer closeAll(subs)
	if err := warmUp(ctx, api, cfg.topicIDs, ck, subs); err != nil {
		return err
	}
	if err := measure(ctx, api, cfg, ck, subs, &r); err != nil {
		return err
	}
	r.print(os.Stdout)
	return nil
}

// connect opens the connections in two halves, reading the server's
// memory after each (and a settle time), and returns their subscribers.
func connect(ctx context.Context, cfg config, url string, ck *clock, r *report) []*subscriber {
	all := connections(cfg)
	half := all / 2
	subs, failed := openSubscribers(ctx, cfg, url, ck, 0, half)
	if cfg.pid > 0 {
		logf("%d subscribers subscribed, %d failed; settling %s", len(subs), failed, cfg.settle)
		sleep(ctx, cfg.settle)
		r.rssHalf, r.half = rss(cfg.pid), len(subs)
	}
	rest, more := openSubscribers(ctx, cfg, url, ck, half, all)
	subs = append(subs, rest...)
	r.connected, r.failed = len(subs), failed+more
	logf("%d subscribers subscribed, %d failed; settling %s", len(subs), r.failed, cfg.settle)
	sleep(ctx, cfg.settle)
	r.rssIdle = rss(cfg.pid)
	return subs
}

// measure writes the posts, waits for their deliveries and collects the
// subscribers' records into r.
func measure(ctx context.Context, api *api, cfg config, ck *clock, subs []*subscriber, r *report) error {
	stopProfile, err := startProfile(cfg.cpuProfile)
	if err != nil {
		return err
	}
	r.loadBefore = loadAverage()
	server, own := cpuTime(cfg.pid), cpuTime(0)
	r.sent = writePosts(ctx, api, cfg, ck)
	r.expected, r.writeTimes = ck.expected(subs), ck.writeTimes()
	r.waited = awaitDeliveries(ctx, subs, int64(r.expected), cfg.drain)
	if cfg.pid > 0 {
		r.serverCPU = cpuTime(cfg.pid) - server
	}
	r.ownCPU = cpuTime(0) - own
	r.loadAfter = loadAverage()
	stopProfile()
	r.rssAfter = rss(cfg.pid)
	closeAll(subs)
	r.collect(subs)
	return nil
}

// prepare signs in and creates the topics unless the flags name them.
func prepare(ctx context.Context, api *api, cfg *config) error {
	if cfg.token == "" {
		token, err := api.login(ctx, cfg.email, cfg.password)
		if err != nil {
			return fmt.Errorf("signing in as %s: %w", cfg.email, err)
		}
		cfg.token = token
	}
	api.token = cfg.token
	if cfg.topic != "" {
		cfg.topicIDs = strings.Split(cfg.topic, ",")
		return nil
	}
	topics, err := api.createTopics(ctx, cfg.topics)
	if err != nil {
		return fmt.Errorf("creating the topics: %w", err)
	}
	cfg.topicIDs = topics
	logf("created %d topics", len(topics))
	return nil
}

// subscriberTokens sets the credentials the subscribers use in turn: the
// signing-in account's, or those of -users accounts created for the run.
func subscriberTokens(ctx context.Context, api *api, cfg *config) error {
	cfg.tokens = []string{cfg.token}
	if cfg.users < 1 || cfg.anonymous {
		return nil
	}
	cfg.tokens = nil
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	for i := range cfg.users {
		email := fmt.Sprintf("hubload-%s-%d@example.org", run, i)
		password := "hubload password " + run
		if err := api.createUser(ctx, email, password); err != nil {
			return fmt.Errorf("creating account %d: %w", i, err)
		}
		token, err := newAPI(cfg.url).login(ctx, email, password)
		if err != nil {
			return fmt.Errorf("signing in as account %d: %w", i, err)
		}
		cfg.tokens = append(cfg.tokens, token)
	}
	logf("created and signed in %d accounts", cfg.users)
	return nil
}

// startProfile starts a CPU profile into path, unless path is empty, and
// returns what stops it.
func startProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-time.After(d):
	case <-ctx.Done():
	}
}

// logf prints progress on standard error.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05.000")+" "+format+"\n", args...)
}
