package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// report is the outcome of a run.
type report struct {
	config
	connected, failed            int
	sent, expected               int
	waited                       time.Duration
	rssBefore, rssIdle, rssAfter int64           // bytes; 0 when unknown
	rssHalf                      int64           // bytes, with the first half of the connections open
	half                         int             // connections open then
	serverCPU, ownCPU            time.Duration   // processor time of the server and of this tool during the posts
	loadBefore, loadAfter        string          // the machine's load averages (1, 5, 15 minutes)
	latencies                    []time.Duration // every delivery, sorted
	writeTimes                   []time.Duration // of the posts written, sorted
	first, last                  []time.Duration // per post: its first and last delivery
	received, duplicates, ended  int
	unexpected                   []string
}

// collect gathers the subscribers' records; their readers have ended.
func (r *report) collect(subs []*subscriber) {
	r.first, r.last = make([]time.Duration, r.posts), make([]time.Duration, r.posts)
	for _, s := range subs {
		for slot, d := range s.latencies {
			if d == 0 {
				continue
			}
			seq := slot*len(r.topicIDs) + s.topic
			r.latencies = append(r.latencies, d)
			if r.first[seq] == 0 || d < r.first[seq] {
				r.first[seq] = d
			}
			r.last[seq] = max(r.last[seq], d)
		}
		r.duplicates += s.duplicates
		r.unexpected = append(r.unexpected, s.unexpected...)
	}
	r.received = len(r.latencies)
	slices.Sort(r.latencies)
}

// print writes the report.
func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "subscribers:  %d subscribed, %d failed (of %d), on %d connections (%d each), %s\n",
		r.connected, r.failed, r.subscribers, r.openConnections(), r.perConn, r.credentials())
	fmt.Fprintf(w, "topics:       %d, %s subscribers each, connections from %d source addresses\n", len(r.topicIDs), r.perTopic(), r.sources)
	fmt.Fprintf(w, "posts:        %d written of %d, at %g/s in all (%.3g/s per topic)\n", r.sent, r.posts, r.rate, r.rate/float64(len(r.topicIDs)))
	if took := r.writeTimes; len(took) > 0 {
		fmt.Fprintf(w, "              createPost answered in p50 %s, p99 %s, max %s\n", percentile(took, 50), percentile(took, 99), percentile(took, 100))
	}
	fmt.Fprintf(w, "deliveries:   %d received of %d expected, %d lost, %d duplicates, %d other messages (waited %s after the last post)\n",
		r.received, r.expected, r.expected-r.received, r.duplicates, len(r.unexpected), r.waited.Round(time.Millisecond))
	for i, m := range r.unexpected {
		if i == 3 {
			fmt.Fprintf(w, "              ...\n")
			break
		}
		fmt.Fprintf(w, "              %.200s\n", m)
	}
	if len(r.latencies) > 0 {
		fmt.Fprintf(w, "latency:      p50 %s  p95 %s  p99 %s  max %s\n",
			percentile(r.latencies, 50), percentile(r.latencies, 95), percentile(r.latencies, 99), percentile(r.latencies, 100))
		first, last := sorted(r.first), sorted(r.last)
		fmt.Fprintf(w, "per post:     first delivery p50 %s max %s; last delivery p50 %s max %s\n",
			percentile(first, 50), percentile(first, 100), percentile(last, 50), percentile(last, 100))
	}
	if r.serverCPU > 0 && r.received > 0 {
		fmt.Fprintf(w, "processor:    server %s (%s per delivery), hubload %s, during the posts and deliveries\n",
			r.serverCPU.Round(time.Millisecond), (r.serverCPU / time.Duration(r.received)).Round(100*time.Nanosecond), r.ownCPU.Round(time.Millisecond))
	}
	fmt.Fprintf(w, "machine load: %s before the posts, %s after (load averages over 1, 5, 15 minutes; %d processors)\n", r.loadBefore, r.loadAfter, runtime.NumCPU())
	if r.rssBefore > 0 && r.rssIdle > 0 && r.connected > 0 {
		grown := float64(r.rssIdle - r.rssBefore)
		fmt.Fprintf(w, "server RSS:   %s before, %s with the connections idle (%s per connection, %s per subscriber), %s after the posts\n",
			mib(r.rssBefore), mib(r.rssIdle), kib(grown/float64(r.openConnections())), kib(grown/float64(r.connected)), mib(r.rssAfter))
		if r.rssHalf > 0 && r.connected > r.half {
			fmt.Fprintf(w, "              %s with %d subscribers idle: the second %d took %s each\n",
				mib(r.rssHalf), r.half, r.connected-r.half, kib(float64(r.rssIdle-r.rssHalf)/float64(r.connected-r.half)))
		}
	}
}

// percentile returns the p-th percentile of sorted durations (nearest
// rank), rounded to the millisecond.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.5) - 1
	i = max(0, min(i, len(sorted)-1))
	return sorted[i].Round(time.Millisecond)
}

// sorted returns the non-zero durations of ds, sorted.
func sorted(ds []time.Duration) []time.Duration {
	out := slices.DeleteFunc(slices.Clone(ds), func(d time.Duration) bool { return d == 0 })
	slices.Sort(out)
	return out
}

// cpuTime returns the processor time (user and system) process pid has
// used, 0 when unknown; pid 0 is this process.
func cpuTime(pid int) time.Duration {
	name := "self"
	if pid > 0 {
		name = strconv.Itoa(pid)
	}
	b, err := os.ReadFile("/proc/" + name + "/stat")
	if err != nil {
		return 0
	}
	// The fields after the command (which may hold spaces) in parentheses;
	// utime and stime are the 14th and 15th of the line, in clock ticks
	// (100 per second on Linux).
	_, rest, _ := strings.Cut(string(b), ") ")
	fields := strings.Fields(rest)
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// loadAverage returns the machine's load averages, "" when unknown.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

// rss returns the resident memory of process pid in bytes, or 0.
func rss(pid int) int64 {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		logf("reading the server's memory: %v", err)
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

func kib(b float64) string { return fmt.Sprintf("%.1f KiB", b/(1<<10)) }

// credentials says whose credentials the subscribers used.
func (r *report) credentials() string {
	switch {
	case r.anonymous:
		return "anonymous"
	case len(r.tokens) > 1:
		return fmt.Sprintf("as %d accounts in turn", len(r.tokens))
	default:
		return "all with one session"
	}
}

// perTopic is the number of subscribers per topic, or its range.
func (r *report) perTopic() string {
	low, high := r.connected/len(r.topicIDs), (r.connected+len(r.topicIDs)-1)/len(r.topicIDs)
	if low == high {
		return strconv.Itoa(low)
	}
	return fmt.Sprintf("%d-%d", low, high)
}

// openConnections is the number of connections the subscribed
// subscribers are on.
func (r *report) openConnections() int {
	return (r.connected + r.perConn - 1) / r.perConn
}
