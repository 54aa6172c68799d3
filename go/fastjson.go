package cognitoidentity

import (
	"encoding/binary"
	"encoding/json"
	"math/bits"
	"reflect"
	"sort"
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// A fast path for decoding the core's result documents into the generated
// output types, without encoding/json's reflection. The generated
// decodeFast methods (types_gen.go) handle only what they can decode
// exactly as encoding/json would: members spelled as the tags say, strings
// without escapes, numbers, true/false, objects and arrays. Anything else
// (an unknown or differently cased key, an escape, null, a malformed
// document, ...) makes them report false and the caller decodes the whole
// document again with json.Unmarshal. That is safe because what the fast
// path has stored by then is what json.Unmarshal stores again from the same
// members (see decodeOutput).

// fastDecoder is implemented by the generated output types.
type fastDecoder interface {
	decodeFast(r *fastReader) bool
}

// decodeOutput decodes doc into out through the fast path, reporting false
// when the caller must use json.Unmarshal instead.
func decodeOutput(doc string, out fastDecoder) bool {
	// The decoded strings are slices of doc, so decoding allocates no string
	// of its own.
	r := fastReader{b: unsafeBytes(doc), s: doc}
	if !out.decodeFast(&r) {
		return false
	}
	r.ws()
	return r.i == len(r.b)
}

// unsafeBytes is s's bytes without a copy, only to be read (json.Unmarshal
// copies what it keeps, json.RawMessage included).
func unsafeBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

type fastReader struct {
	b []byte // s's bytes (never written)
	s string
	i int
}

func (r *fastReader) ws() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// byte consumes c (after white space).
func (r *fastReader) byte(c byte) bool {
	r.ws()
	if r.i < len(r.b) && r.b[r.i] == c {
		r.i++
		return true
	}
	return false
}

// next reports whether an object or array (already opened) has another
// member, consuming the comma before it or the closing byte after the last.
// first is the caller's state: true before the first member.
func (r *fastReader) next(first *bool, closing byte) (more, ok bool) {
	r.ws()
	if r.i >= len(r.b) {
		return false, false
	}
	c := r.b[r.i]
	if c == closing {
		r.i++
		return false, true
	}
	if *first {
		*first = false
		return true, true
	}
	if c == ',' {
		r.i++
		return true, true
	}
	return false, false
}

// rawString returns the bytes of a string without escapes or control
// characters, whose non-ASCII bytes are valid UTF-8 (as encoding/json would
// decode it: unchanged), or false.
func (r *fastReader) rawString() (string, bool) {
	if !r.byte('"') {
		return "", false
	}
	start, i := r.i, r.i
	ascii := true
	for {
		// Eight bytes at a time up to the first one that is not plain
		// ASCII text: the decoder's hottest loop (a byte at a time, it was
		// a third of a result's decoding).
		for i+8 <= len(r.b) {
			if m := special(binary.LittleEndian.Uint64(r.b[i:])); m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		if i >= len(r.b) {
			return "", false
		}
		switch c := r.b[i]; {
		case c == '"':
			s := r.s[start:i]
			if !ascii && !utf8.ValidString(s) {
				return "", false
			}
			r.i = i + 1
			return s, true
		case c == '\\' || c < 0x20:
			return "", false
		case c >= 0x80:
			ascii = false
		}
		i++
	}
}

// special marks, in the high bit of each byte of x (eight bytes of a
// document, the first in the low byte), the bytes that end a plain string:
// '"', '\\', a control character, or a byte above 0x7f. The lowest mark is
// exact; marks above it may be false (a borrow carries into them).
func special(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote := x ^ (ones * '"')
	backslash := x ^ (ones * '\\')
	return ((quote-ones)&^quote | (backslash-ones)&^backslash | (x-ones*0x20)&^x | x) & highs
}

// key reads an object key and the colon after it.
func (r *fastReader) key() (string, bool) {
	k, ok := r.rawString()
	if !ok || !r.byte(':') {
		return "", false
	}
	return k, true
}

func fastString[T ~string](r *fastReader, p *T) bool {
	s, ok := r.rawString()
	if ok {
		*p = T(s)
	}
	return ok
}

func (r *fastReader) bool(p *bool) bool {
	r.ws()
	switch {
	case len(r.b)-r.i >= 4 && string(r.b[r.i:r.i+4]) == "true":
		r.i += 4
		*p = true
	case len(r.b)-r.i >= 5 && string(r.b[r.i:r.i+5]) == "false":
		r.i += 5
		*p = false
	default:
		return false
	}
	return r.end()
}

// null consumes a null literal if one is next.
func (r *fastReader) null() bool {
	r.ws()
	if len(r.b)-r.i >= 4 && string(r.b[r.i:r.i+4]) == "null" {
		r.i += 4
		if r.end() {
			return true
		}
		r.i -= 4 // "nullx": left for the member's reader to reject
	}
	return false
}

// end reports whether a literal or number ends where it should (encoding/json
// rejects "truex" and "12a").
func (r *fastReader) end() bool {
	if r.i == len(r.b) {
		return true
	}
	switch r.b[r.i] {
	case ' ', '\t', '\n', '\r', ',', '}', ']':
		return true
	}
	return false
}

// boolPtr stores through an existing pointer, as encoding/json does.
func (r *fastReader) boolPtr(p **bool) bool {
	var b bool
	if !r.bool(&b) {
		return false
	}
	if *p == nil {
		*p = new(bool)
	}
	**p = b
	return true
}

// number returns the text of a JSON integer (no fraction or exponent; those
// are left to encoding/json).
func (r *fastReader) integer() ([]byte, bool) {
	r.ws()
	start := r.i
	if r.i < len(r.b) && r.b[r.i] == '-' {
		r.i++
	}
	digits := r.i
	for r.i < len(r.b) && r.b[r.i] >= '0' && r.b[r.i] <= '9' {
		r.i++
	}
	n := r.i - digits
	if n == 0 || (n > 1 && r.b[digits] == '0') || !r.end() {
		return nil, false
	}
	return r.b[start:r.i], true
}

func fastInt[T ~int | ~int32 | ~int64](r *fastReader, p *T, bits int) bool {
	s, ok := r.integer()
	if !ok {
		return false
	}
	n, err := strconv.ParseInt(string(s), 10, bits)
	if err != nil {
		return false
	}
	*p = T(n)
	return true
}

func fastIntPtr[T ~int32 | ~int64](r *fastReader, p **T, bits int) bool {
	var n T
	if !fastInt(r, &n, bits) {
		return false
	}
	if *p == nil {
		*p = new(T)
	}
	**p = n
	return true
}

// number returns the text of a JSON number.
func (r *fastReader) number() ([]byte, bool) {
	r.ws()
	start := r.i
	if r.i < len(r.b) && r.b[r.i] == '-' {
		r.i++
	}
	intStart := r.i
	if n := r.digits(); n == 0 || (n > 1 && r.b[intStart] == '0') {
		return nil, false // no digits, or a leading zero
	}
	if r.i < len(r.b) && r.b[r.i] == '.' {
		r.i++
		if r.digits() == 0 {
			return nil, false
		}
	}
	if r.i < len(r.b) && (r.b[r.i] == 'e' || r.b[r.i] == 'E') {
		r.i++
		if r.i < len(r.b) && (r.b[r.i] == '+' || r.b[r.i] == '-') {
			r.i++
		}
		if r.digits() == 0 {
			return nil, false
		}
	}
	if !r.end() {
		return nil, false
	}
	return r.b[start:r.i], true
}

func (r *fastReader) digits() int {
	start := r.i
	for r.i < len(r.b) && r.b[r.i] >= '0' && r.b[r.i] <= '9' {
		r.i++
	}
	return r.i - start
}

// stamp reads an epoch-seconds timestamp with epochSeconds.UnmarshalJSON,
// as encoding/json does.
func (r *fastReader) stamp(p *epochSeconds) bool {
	s, ok := r.number()
	if !ok {
		return false
	}
	return p.UnmarshalJSON(s) == nil
}

// stringList decodes an array of strings as encoding/json does into a slice
// (reusing its array; [] gives an empty, non-nil slice).
func fastStringList[T ~string](r *fastReader, p *[]T) bool {
	if !r.byte('[') {
		return false
	}
	s := (*p)[:0]
	for first := true; ; {
		more, ok := r.next(&first, ']')
		if !ok {
			return false
		}
		if !more {
			break
		}
		var v T
		if !fastString(r, &v) {
			return false
		}
		s = append(s, v)
	}
	if s == nil {
		s = []T{}
	}
	*p = s
	return true
}

// fastStringMap decodes an object of strings into a map (made if nil; an
// existing one keeps its other entries, as with encoding/json).
func fastStringMap[T ~string](r *fastReader, p *map[string]T) bool {
	return fastMap(r, p, func(r *fastReader) (T, bool) {
		s, ok := r.rawString()
		return T(s), ok
	})
}

// fastStructList decodes an array of objects. Only into a nil slice: into an
// existing one encoding/json merges with the old elements.
func fastStructList[T any, PT interface {
	*T
	fastDecoder
}](r *fastReader, p *[]T) bool {
	if *p != nil || !r.byte('[') {
		return false
	}
	s := []T{}
	for first := true; ; {
		more, ok := r.next(&first, ']')
		if !ok {
			return false
		}
		if !more {
			break
		}
		s = append(s, *new(T))
		if !PT(&s[len(s)-1]).decodeFast(r) {
			return false
		}
	}
	*p = s
	return true
}

// fastStructMap decodes an object of objects; each value starts from zero,
// as with encoding/json.
func fastStructMap[T any, PT interface {
	*T
	fastDecoder
}](r *fastReader, p *map[string]T) bool {
	return fastMap(r, p, func(r *fastReader) (T, bool) {
		var v T
		ok := PT(&v).decodeFast(r)
		return v, ok
	})
}

// fastMap decodes an object into a map, each value by value (from zero).
// value returns what it decodes: through a pointer, each value escaped to
// the heap (an allocation a header of every result).
func fastMap[T any](r *fastReader, p *map[string]T, value func(*fastReader) (T, bool)) bool {
	if !r.byte('{') {
		return false
	}
	if *p == nil { // only now: a value that is not an object leaves it nil
		*p = map[string]T{}
	}
	m := *p
	for first := true; ; {
		more, ok := r.next(&first, '}')
		if !ok {
			return false
		}
		if !more {
			return true
		}
		k, ok := r.key()
		if !ok {
			return false
		}
		v, ok := value(r)
		if !ok {
			return false
		}
		m[k] = v
	}
}

// fastStructPtr decodes into the existing value or a new one, as
// encoding/json does for a pointer.
func fastStructPtr[T any, PT interface {
	*T
	fastDecoder
}](r *fastReader, p **T) bool {
	if *p == nil {
		*p = new(T)
	}
	return PT(*p).decodeFast(r)
}

func (v *ResponseMetadata) decodeFast(r *fastReader) bool {
	if !r.byte('{') {
		return false
	}
	for first := true; ; {
		more, ok := r.next(&first, '}')
		if !ok {
			return false
		}
		if !more {
			return true
		}
		k, ok := r.key()
		if !ok {
			return false
		}
		if r.null() { // as encoding/json: nothing for these, nil for the map
			if k == "HTTPHeaders" {
				v.HTTPHeaders = nil
			}
			continue
		}
		switch k {
		case "RequestId":
			ok = fastString(r, &v.RequestId)
		case "HTTPStatusCode":
			ok = fastInt(r, &v.HTTPStatusCode, strconv.IntSize)
		case "HTTPHeaders":
			ok = fastStringMap(r, &v.HTTPHeaders)
		case "RetryAttempts":
			ok = fastInt(r, &v.RetryAttempts, strconv.IntSize)
		default:
			ok = false
		}
		if !ok {
			return false
		}
	}
}

// The encoding side: generated appendJSON methods (types_gen.go) write the
// input types as json.Marshal would, byte for byte, without reflection.

// fastEncoder is implemented by the generated input types.
type fastEncoder interface {
	appendJSON(b []byte) []byte
}

// encodeInput is json.Marshal(in), faster for the generated input types.
func encodeInput(in any) ([]byte, error) {
	if e, ok := in.(fastEncoder); ok && !reflect.ValueOf(in).IsNil() {
		return e.appendJSON(make([]byte, 0, 128)), nil
	}
	return json.Marshal(in)
}

// appendJSONKey appends a member's key, after a comma unless it is the first
// member of the object that starts at b[start].
func appendJSONKey(b []byte, start int, key string) []byte {
	if len(b) > start+1 {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, key...)
	return append(b, '"', ':')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s quoted as encoding/json does: HTML characters,
// U+2028 and U+2029 escaped, invalid UTF-8 replaced by U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func appendJSONStringList[T ~string](b []byte, s []T) []byte {
	b = append(b, '[')
	for i, v := range s {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, string(v))
	}
	return append(b, ']')
}

// appendJSONStringMap writes the keys sorted, as encoding/json does.
func appendJSONStringMap[T ~string](b []byte, m map[string]T) []byte {
	b = append(b, '{')
	for i, k := range sortedKeys(m) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = appendJSONString(b, string(m[k]))
	}
	return append(b, '}')
}

func appendJSONStructList[T any, PT interface {
	*T
	fastEncoder
}](b []byte, s []T) []byte {
	b = append(b, '[')
	for i := range s {
		if i > 0 {
			b = append(b, ',')
		}
		b = PT(&s[i]).appendJSON(b)
	}
	return append(b, ']')
}

func appendJSONStructMap[T any, PT interface {
	*T
	fastEncoder
}](b []byte, m map[string]T) []byte {
	b = append(b, '{')
	for i, k := range sortedKeys(m) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		v := m[k]
		b = PT(&v).appendJSON(b)
	}
	return append(b, '}')
}

func sortedKeys[T any](m map[string]T) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
