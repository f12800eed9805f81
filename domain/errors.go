package domain

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies an application error; the web layer maps it to a status.
type Code string

// The error codes a user may meet.
const (
	CodeInvalid      Code = "invalid"
	CodeNotFound     Code = "not_found"
	CodeConflict     Code = "conflict"
	CodeForbidden    Code = "forbidden"
	CodeUnauthorized Code = "unauthorized"
	CodeTooMany      Code = "too_many"
	CodeInternal     Code = "internal"
)

// Error is an application error whose message is safe to show to a user.
// Key is a catalogue key, translated at the edge; Field names the form field
// it concerns, when there is one; Args fill the message's placeholders.
type Error struct {
	Code  Code
	Key   string
	Field string
	Args  []any
	// Fields holds one error per invalid field when several fields failed
	// validation at once.
	Fields map[string]*Error
	// RetryAfter, on a CodeTooMany error, is how long to wait before trying
	// again, when it is known; the web layer sends it as Retry-After.
	RetryAfter time.Duration
}

// TooMany is a refusal over a limit that may be tried again after wait.
func TooMany(wait time.Duration, key string, args ...any) *Error {
	return &Error{Code: CodeTooMany, Key: key, Args: args, RetryAfter: wait}
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Key, e.Field)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Key)
}

// Errorf builds an application error with a message key.
func Errorf(code Code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// Invalid reports a bad value in one field.
func Invalid(field, key string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Key: key, Field: field, Args: args}
}

// ErrCode returns the code of an application error, or CodeInternal for any
// other error.
func ErrCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// AsError returns the application error inside err, if there is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Validation collects field errors so a form can show all of them at once.
type Validation struct {
	fields map[string]*Error
	order  []string
}

// Add records the first fault of a field.
func (v *Validation) Add(field, key string, args ...any) {
	v.AddErr(Invalid(field, key, args...))
}

// AddErr records err when it is an invalid-field error, keeping the first
// fault of each field; other errors are recorded under the field "".
func (v *Validation) AddErr(err error) {
	if err == nil {
		return
	}
	e, ok := AsError(err)
	if !ok {
		e = Errorf(CodeInternal, "err.internal")
	}
	if v.fields == nil {
		v.fields = map[string]*Error{}
	}
	if _, dup := v.fields[e.Field]; dup {
		return
	}
	v.fields[e.Field] = e
	v.order = append(v.order, e.Field)
}

// Check adds the fault when cond is false.
func (v *Validation) Check(cond bool, field, key string, args ...any) {
	if !cond {
		v.Add(field, key, args...)
	}
}

// Err returns nil when nothing failed, or an invalid error naming the first
// field and carrying all of them.
func (v *Validation) Err() error {
	if len(v.order) == 0 {
		return nil
	}
	first := v.fields[v.order[0]]
	return &Error{Code: CodeInvalid, Key: first.Key, Field: first.Field, Args: first.Args, Fields: v.fields}
}
