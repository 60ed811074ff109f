package graph

// OwnTransactions are the mutations that run outside the per-operation
// transaction every other mutation runs in (see internal/server): they
// check passwords with argon2id, tens of milliseconds during which a
// transaction would hold SQLite's write lock and stop every other writer,
// and they open short transactions of their own for their writes only. A
// mutation operation may not mix them with other fields.
var OwnTransactions = []string{"login", "changePassword"}
