// Package domain holds Vanguard's types, rules and the errors a user may see.
//
// It imports no other package of the project and does no I/O: the store
// persists these values, the services apply them inside transactions and the
// web layer renders them. The names follow the glossary in DESIGN.md.
package domain
