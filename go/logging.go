package cognitoidentity

/*
#include "cognito_identity.h"

// Defined in callbacks.c: calls the exported goLogCallback.
void cognito_go_log_trampoline(cognito_identity_log_level level, const char *record_json, void *user_data);
*/
import "C"

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"sync/atomic"
	"unsafe"
)

var (
	logMu   sync.Mutex
	logSink atomic.Pointer[slog.Logger]
)

// SetLogger sends the library's log records to l: each request sent and
// response received (Debug), each retry with its reason and back-off (Info),
// where credentials come from and their refreshes (Debug, Info), refresh
// failures and clock-skew corrections (Warn). Each record carries the
// attribute "target" (cognito_identity::http, ::retries, ::credentials, or
// the credential sources' own). No record holds a secret key, session token,
// login or OpenID token, or Authorization value.
//
// Records below the most verbose level l's handler enables (at the time of
// the call) are not produced at all. nil turns logging off. The setting is
// process-wide (the C library has one log callback) and safe to change at
// any time from any goroutine.
func SetLogger(l *slog.Logger) error {
	logMu.Lock()
	defer logMu.Unlock()
	if l == nil {
		logSink.Store(nil)
		C.cognito_identity_set_log_callback(0, nil, nil)
		return nil
	}
	ctx := context.Background()
	level := 0 // off
	for _, candidate := range []struct {
		slog slog.Level
		c    int
	}{{slog.LevelError, 1}, {slog.LevelWarn, 2}, {slog.LevelInfo, 3}, {slog.LevelDebug, 4}} {
		if l.Enabled(ctx, candidate.slog) {
			level = candidate.c
		}
	}
	logSink.Store(l)
	status := Status(C.cognito_identity_set_log_callback(C.int(level),
		C.cognito_identity_log_callback(C.cognito_go_log_trampoline), nil))
	if status != StatusOK {
		logSink.Store(nil)
		return &Error{Code: CodeInvalidConfig, Message: "the library's log records are taken by another logger", Type: "Client", Status: status}
	}
	return nil
}

//export goLogCallback
func goLogCallback(level C.cognito_identity_log_level, recordJSON *C.char, _ unsafe.Pointer) {
	l := logSink.Load()
	if l == nil {
		return
	}
	var r struct {
		Target  string `json:"target"`
		Message string `json:"message"`
	}
	if json.Unmarshal([]byte(C.GoString(recordJSON)), &r) != nil {
		return
	}
	slogLevel := slog.LevelDebug
	switch level {
	case C.COGNITO_IDENTITY_LOG_ERROR:
		slogLevel = slog.LevelError
	case C.COGNITO_IDENTITY_LOG_WARN:
		slogLevel = slog.LevelWarn
	case C.COGNITO_IDENTITY_LOG_INFO:
		slogLevel = slog.LevelInfo
	}
	l.Log(context.Background(), slogLevel, r.Message, slog.String("target", r.Target))
}
