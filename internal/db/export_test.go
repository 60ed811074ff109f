package db

// CachedStatements returns how many prepared statements the driver
// connection dc (from sql.Conn.Raw) keeps.
func CachedStatements(dc any) int { return dc.(*cachingConn).stmts.Len() }
