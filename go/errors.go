package cognitoidentity

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Status is the C ABI's status of a failed call: the class of the failure.
// Its values are those of cognito_identity_status and never change.
type Status int

func (s Status) String() string {
	if s >= 0 && int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Error is every failure the client reports, service-side or client-side. It
// carries the same fields as the error document of the C and Python front
// doors. Use errors.As to get one:
//
//	var e *cognitoidentity.Error
//	if errors.As(err, &e) && e.Code == cognitoidentity.ErrCodeNotAuthorized { ... }
type Error struct {
	Operation      string // the operation called ("" for New)
	Code           string // e.g. "NotAuthorizedException" or "ParamValidationError"
	Message        string
	Type           string // "Sender" or "Receiver" (the service's errors), "Client" (this side's)
	HTTPStatusCode int    // 0 when no HTTP answer was received
	RequestID      string // x-amzn-RequestId, "" for client-side errors
	RetryAttempts  int
	Status         Status // the C ABI's class of the failure
	cause          error  // the context's error, when it ended during the call
}

func (e *Error) Error() string {
	s := "cognitoidentity: "
	if e.Operation != "" {
		s += e.Operation + ": "
	}
	s += e.Code
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.HTTPStatusCode != 0 {
		s += fmt.Sprintf(" (HTTP %d", e.HTTPStatusCode)
		if e.RequestID != "" {
			s += ", request id " + e.RequestID
		}
		s += ")"
	}
	return s
}

// Unwrap gives the context's error when the call failed because its context
// ended, so errors.Is(err, context.DeadlineExceeded) holds.
func (e *Error) Unwrap() error { return e.cause }

// IsCode reports whether err is (or wraps) an *Error with the given code.
func IsCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

type errorDocument struct {
	Error struct {
		Code    string `json:"Code"`
		Message string `json:"Message"`
		Type    string `json:"Type"`
	} `json:"Error"`
	ResponseMetadata struct {
		RequestID      string `json:"RequestId"`
		HTTPStatusCode int    `json:"HTTPStatusCode"`
		RetryAttempts  int    `json:"RetryAttempts"`
	} `json:"ResponseMetadata"`
}

// errorFromDocument turns the C ABI's error document into an *Error.
func errorFromDocument(status Status, op, doc string) *Error {
	e := &Error{Operation: op, Status: status}
	var d errorDocument
	if doc == "" || json.Unmarshal([]byte(doc), &d) != nil || d.Error.Code == "" {
		e.Code = status.String()
		e.Message = doc
		e.Type = "Client"
		return e
	}
	e.Code = d.Error.Code
	e.Message = d.Error.Message
	e.Type = d.Error.Type
	e.RequestID = d.ResponseMetadata.RequestID
	e.HTTPStatusCode = d.ResponseMetadata.HTTPStatusCode
	e.RetryAttempts = d.ResponseMetadata.RetryAttempts
	return e
}
