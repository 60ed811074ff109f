// Package ent holds the Hub's Ent client, generated from ent/schema.
package ent

//go:generate go run -mod=mod entc.go
