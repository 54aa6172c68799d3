package cognitoidentity

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ResponseMetadata describes the HTTP exchange behind a successful call, as
// boto3's ResponseMetadata does.
type ResponseMetadata struct {
	RequestId      string            `json:"RequestId,omitempty"` //nolint:revive // boto3's name
	HTTPStatusCode int               `json:"HTTPStatusCode,omitempty"`
	HTTPHeaders    map[string]string `json:"HTTPHeaders,omitempty"`
	RetryAttempts  int               `json:"RetryAttempts"`
}

// Bool returns a pointer to v, for optional boolean members.
func Bool(v bool) *bool { return &v }

// Int32 returns a pointer to v, for optional integer members.
func Int32(v int32) *int32 { return &v }

// Int64 returns a pointer to v, for optional long members.
func Int64(v int64) *int64 { return &v }

// epochSeconds is a timestamp on the wire: seconds since the Unix epoch, a
// JSON number that may have a fraction.
type epochSeconds struct{ t time.Time }

func toEpoch(t time.Time) *epochSeconds {
	if t.IsZero() {
		return nil
	}
	return &epochSeconds{t}
}

func (e *epochSeconds) time() time.Time {
	if e == nil {
		return time.Time{}
	}
	return e.t
}

func (e epochSeconds) MarshalJSON() ([]byte, error) {
	sec, nsec := e.t.Unix(), e.t.Nanosecond()
	if nsec == 0 {
		return strconv.AppendInt(nil, sec, 10), nil
	}
	frac := strings.TrimRight(fmt.Sprintf("%09d", nsec), "0")
	return []byte(fmt.Sprintf("%d.%s", sec, frac)), nil
}

func (e *epochSeconds) UnmarshalJSON(data []byte) error {
	s := string(data)
	if s == "null" {
		return nil
	}
	// Parse the decimal text exactly rather than through a float64, which
	// would lose nanoseconds for present-day timestamps.
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		e.t = time.Unix(n, 0).UTC()
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Errorf("cognitoidentity: timestamp %s is not epoch seconds", s)
	}
	if i := strings.IndexByte(s, '.'); i >= 0 && !strings.ContainsAny(s, "eE") {
		sec, err1 := strconv.ParseInt(s[:i], 10, 64)
		digits := (s[i+1:] + "000000000")[:9]
		nsec, err2 := strconv.ParseInt(digits, 10, 64)
		if err1 == nil && err2 == nil {
			if strings.HasPrefix(s, "-") {
				nsec = -nsec
			}
			e.t = time.Unix(sec, nsec).UTC()
			return nil
		}
	}
	sec, frac := math.Modf(f)
	e.t = time.Unix(int64(sec), int64(frac*1e9)).UTC()
	return nil
}

var _ json.Marshaler = epochSeconds{}

const redacted = "*** Sensitive Data Redacted ***"

func redactString(s string) string {
	if s == "" {
		return ""
	}
	return redacted
}

func redactMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k := range m {
		out[k] = redacted
	}
	return out
}
