package live

// MaxPending is maxPending, for the tests of slow subscribers.
const MaxPending = maxPending
