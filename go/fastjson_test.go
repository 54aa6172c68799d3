package cognitoidentity

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/bits"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The fast decoder (fastjson.go and the generated decodeFast methods) must
// give what json.Unmarshal gives, for every document: these tests decode
// each document both ways and compare the values and whether it failed.

func fastTypes() []fastDecoder {
	return []fastDecoder{
		&ResponseMetadata{},
		&CognitoIdentityProvider{},
		&Credentials{},
		&IdentityDescription{},
		&IdentityPoolShortDescription{},
		&MappingRule{},
		&RoleMapping{},
		&RulesConfigurationType{},
		&UnprocessedIdentityId{},
		&CreateIdentityPoolInput{},
		&CreateIdentityPoolOutput{},
		&DeleteIdentitiesInput{},
		&DeleteIdentitiesOutput{},
		&DeleteIdentityPoolInput{},
		&DeleteIdentityPoolOutput{},
		&DescribeIdentityInput{},
		&DescribeIdentityOutput{},
		&DescribeIdentityPoolInput{},
		&DescribeIdentityPoolOutput{},
		&GetCredentialsForIdentityInput{},
		&GetCredentialsForIdentityOutput{},
		&GetIdInput{},
		&GetIdOutput{},
		&GetIdentityPoolRolesInput{},
		&GetIdentityPoolRolesOutput{},
		&GetOpenIdTokenInput{},
		&GetOpenIdTokenOutput{},
		&GetOpenIdTokenForDeveloperIdentityInput{},
		&GetOpenIdTokenForDeveloperIdentityOutput{},
		&GetPrincipalTagAttributeMapInput{},
		&GetPrincipalTagAttributeMapOutput{},
		&ListIdentitiesInput{},
		&ListIdentitiesOutput{},
		&ListIdentityPoolsInput{},
		&ListIdentityPoolsOutput{},
		&ListTagsForResourceInput{},
		&ListTagsForResourceOutput{},
		&LookupDeveloperIdentityInput{},
		&LookupDeveloperIdentityOutput{},
		&MergeDeveloperIdentitiesInput{},
		&MergeDeveloperIdentitiesOutput{},
		&SetIdentityPoolRolesInput{},
		&SetIdentityPoolRolesOutput{},
		&SetPrincipalTagAttributeMapInput{},
		&SetPrincipalTagAttributeMapOutput{},
		&TagResourceInput{},
		&TagResourceOutput{},
		&UnlinkDeveloperIdentityInput{},
		&UnlinkDeveloperIdentityOutput{},
		&UnlinkIdentityInput{},
		&UnlinkIdentityOutput{},
		&UntagResourceInput{},
		&UntagResourceOutput{},
		&UpdateIdentityPoolInput{},
		&UpdateIdentityPoolOutput{},
	}
}

// oddStrings are strings encoding/json escapes (or replaces) one way or another.
var oddStrings = []string{
	"", "plain", "with \"quotes\" and \\ backslash", "tab\tnew\nline\x01\x1f", "<html>&amp;",
	"caf\u00e9 \u65e5\u672c \U0001F600", "sep\u2028\u2029", "invalid \xff\xfe utf-8", "\x7f", "ends with \\",
}

type filler struct {
	rnd   *rand.Rand
	plain bool // only strings without anything to escape
}

func (f *filler) str() string {
	if f.plain {
		return []string{"", "us-east-1:11111111-2222-3333-4444-555555555555", "plain value", "caf\u00e9"}[f.rnd.Intn(4)]
	}
	return oddStrings[f.rnd.Intn(len(oddStrings))]
}

// fill sets v (addressable) to random contents; nil, empty and full
// collections and pointers all occur.
func (f *filler) fill(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(f.str())
	case reflect.Bool:
		v.SetBool(f.rnd.Intn(2) == 0)
	case reflect.Int, reflect.Int32, reflect.Int64:
		v.SetInt([]int64{0, 1, -7, 60, 2147483647, -2147483648}[f.rnd.Intn(6)])
	case reflect.Pointer:
		if depth > 3 || f.rnd.Intn(3) == 0 {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		f.fill(v.Elem(), depth+1)
	case reflect.Slice:
		switch n := f.rnd.Intn(4); {
		case n == 0 || depth > 3:
		case n == 1:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		default:
			s := reflect.MakeSlice(v.Type(), n-1, n-1)
			for i := 0; i < n-1; i++ {
				f.fill(s.Index(i), depth+1)
			}
			v.Set(s)
		}
	case reflect.Map:
		switch n := f.rnd.Intn(4); {
		case n == 0 || depth > 3:
		case n == 1:
			v.Set(reflect.MakeMap(v.Type()))
		default:
			m := reflect.MakeMap(v.Type())
			for i := 0; i < n; i++ {
				k := reflect.New(v.Type().Key()).Elem()
				f.fill(k, depth+1)
				e := reflect.New(v.Type().Elem()).Elem()
				f.fill(e, depth+1)
				m.SetMapIndex(k, e)
			}
			v.Set(m)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			switch f.rnd.Intn(3) {
			case 0: // zero: omitted
			case 1:
				v.Set(reflect.ValueOf(time.Unix(1700000000+f.rnd.Int63n(1000), 0).UTC()))
			default:
				v.Set(reflect.ValueOf(time.Unix(1700000000, 123000000).UTC()))
			}
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				f.fill(v.Field(i), depth+1)
			}
		}
	}
}

func newLike(v fastDecoder) fastDecoder {
	return reflect.New(reflect.TypeOf(v).Elem()).Interface().(fastDecoder)
}

// compare decodes doc into two values (copies of start) with json.Unmarshal
// and with decodeResult, and fails the test if they differ.
func compare(t *testing.T, doc []byte, start fastDecoder) {
	t.Helper()
	want, got := newLike(start), newLike(start)
	reflect.ValueOf(want).Elem().Set(reflect.ValueOf(start).Elem())
	reflect.ValueOf(got).Elem().Set(reflect.ValueOf(start).Elem())
	// The start value's maps and slices are shared: give each side its own.
	deepCopy(t, start, want)
	deepCopy(t, start, got)
	errWant := json.Unmarshal(doc, want)
	errGot := decodeResult(string(doc), got)
	if (errWant == nil) != (errGot == nil) {
		t.Fatalf("%T from %q: json.Unmarshal error %v, decodeResult error %v", start, doc, errWant, errGot)
	}
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("%T from %q:\njson.Unmarshal %#v\ndecodeResult   %#v", start, doc, want, got)
	}
}

// deepCopy makes dst an independent copy of src (through gob-like reflection).
func deepCopy(t *testing.T, src, dst fastDecoder) {
	t.Helper()
	reflect.ValueOf(dst).Elem().Set(copyValue(reflect.ValueOf(src).Elem()))
}

func copyValue(v reflect.Value) reflect.Value {
	out := reflect.New(v.Type()).Elem()
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			p := reflect.New(v.Type().Elem())
			p.Elem().Set(copyValue(v.Elem()))
			out.Set(p)
		}
	case reflect.Slice:
		if !v.IsNil() {
			s := reflect.MakeSlice(v.Type(), v.Len(), v.Cap())
			for i := 0; i < v.Len(); i++ {
				s.Index(i).Set(copyValue(v.Index(i)))
			}
			out.Set(s)
		}
	case reflect.Map:
		if !v.IsNil() {
			m := reflect.MakeMap(v.Type())
			for _, k := range v.MapKeys() {
				m.SetMapIndex(k, copyValue(v.MapIndex(k)))
			}
			out.Set(m)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			out.Set(v)
			break
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				out.Field(i).Set(copyValue(v.Field(i)))
			}
		}
	default:
		out.Set(v)
	}
	return out
}

func marshalDoc(t *testing.T, v any) []byte {
	t.Helper()
	doc, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestFastDecodeTakesPlainDocuments: documents as the core writes them (no
// escapes) take the fast path and give what json.Unmarshal gives.
func TestFastDecodeTakesPlainDocuments(t *testing.T) {
	f := &filler{rnd: rand.New(rand.NewSource(1)), plain: true}
	for _, typ := range fastTypes() {
		for i := 0; i < 200; i++ {
			v := newLike(typ)
			f.fill(reflect.ValueOf(v).Elem(), 0)
			doc := marshalDoc(t, v)
			fast := newLike(typ)
			if !decodeOutput(string(doc), fast) {
				t.Fatalf("%T: %s did not take the fast path", typ, doc)
			}
			compare(t, doc, newLike(typ))
		}
	}
}

// TestFastDecodeMatchesEncodingJSON: odd strings, odd spacing, keys in
// another case, unknown keys, null, duplicates, broken documents, and
// decoding into values that are not empty.
func TestFastDecodeMatchesEncodingJSON(t *testing.T) {
	f := &filler{rnd: rand.New(rand.NewSource(2))}
	mutations := []func(string) string{
		func(s string) string { return s },
		func(s string) string { return " \n\t" + strings.ReplaceAll(s, ":", " : ") + "\r\n" },
		func(s string) string { return strings.ReplaceAll(s, ",", " ,\n") },
		func(s string) string { return strings.Replace(s, "{", "{\"Unknown\":[1,{\"a\":null}],", 1) },
		func(s string) string { return strings.ToLower(s) },
		func(s string) string { return strings.Replace(s, "\"Id", "\"ID", -1) },
		func(s string) string { return strings.Replace(s, ":\"", ":null,\"x\":\"", 1) },
		func(s string) string { return strings.Replace(s, "true", "null", 1) },
		func(s string) string { return strings.Replace(s, "false", "\"false\"", 1) },
		func(s string) string { return strings.Replace(s, "0", "0.5", 1) },
		func(s string) string { return strings.Replace(s, "1", "1e3", 1) },
		func(s string) string { return strings.Replace(s, "1", "01", 1) },
		func(s string) string { return strings.Replace(s, "7", "99999999999999999999", 1) },
		func(s string) string { return strings.Replace(s, "[", "[null,", 1) },
		func(s string) string { return strings.Replace(s, "}", ",}", 1) },
		func(s string) string { return s + "x" },
		func(s string) string { return s + s },
		func(s string) string { return s[:len(s)/2] },
		func(s string) string { return strings.Replace(s, "\"a", "\"\u0061", 1) },
		func(s string) string {
			return strings.Replace(s, "{", "{\"IdentityId\":\"dup\",\"ResponseMetadata\":{\"RetryAttempts\":3},", 1)
		},
		func(s string) string { return strings.Replace(s, "e\"", "e\xff\"", 1) },
		func(s string) string { return "null" },
		func(s string) string { return "[]" },
	}
	for _, typ := range fastTypes() {
		for i := 0; i < 60; i++ {
			v := newLike(typ)
			f.fill(reflect.ValueOf(v).Elem(), 0)
			doc := string(marshalDoc(t, v))
			start := newLike(typ)
			if i%3 == 0 { // decode into a value that already has contents
				f.fill(reflect.ValueOf(start).Elem(), 0)
			}
			for _, m := range mutations {
				compare(t, []byte(m(doc)), start)
			}
		}
	}
}

// TestFastDecodeTimestamps: epoch seconds, whole or not, and a timestamp that
// is absent (zero, as UnmarshalJSON leaves it) when the value had one.
func TestFastDecodeTimestamps(t *testing.T) {
	start := &DescribeIdentityOutput{CreationDate: time.Unix(5, 0).UTC(), IdentityId: "keep"}
	for _, doc := range []string{
		`{"IdentityId":"i","CreationDate":1700000000,"LastModifiedDate":1700000001.25}`,
		`{"CreationDate":-1}`, `{}`, `{"CreationDate":1e9}`, `{"CreationDate":"1"}`,
		`{"CreationDate":99999999999999999999}`, `{"LastModifiedDate":0}`,
	} {
		compare(t, []byte(doc), start)
		compare(t, []byte(doc), &DescribeIdentityOutput{})
	}
}

// TestFastDecodeOfTheBenchDocument: the shape of a real GetId result.
func TestFastDecodeOfTheBenchDocument(t *testing.T) {
	doc := []byte(`{"IdentityId":"us-east-1:11111111-2222-3333-4444-555555555555","ResponseMetadata":{"RequestId":"6a1c2d3e-0000-4000-8000-000000000001","HTTPStatusCode":200,"HTTPHeaders":{"content-type":"application/x-amz-json-1.1","x-amzn-requestid":"6a1c2d3e"},"RetryAttempts":0}}`)
	var out GetIdOutput
	if !decodeOutput(string(doc), &out) {
		t.Fatal("not decoded by the fast path")
	}
	compare(t, doc, &GetIdOutput{})
	if out.IdentityId != "us-east-1:11111111-2222-3333-4444-555555555555" || out.ResponseMetadata.HTTPStatusCode != 200 ||
		out.ResponseMetadata.HTTPHeaders["content-type"] != "application/x-amz-json-1.1" {
		t.Fatalf("%+v", out)
	}
	if !bytes.Equal(doc, doc) {
		t.Fatal(fmt.Sprint(doc))
	}
}

func encoderTypes() []fastEncoder {
	return []fastEncoder{
		&CognitoIdentityProvider{},
		&MappingRule{},
		&RoleMapping{},
		&RulesConfigurationType{},
		&CreateIdentityPoolInput{},
		&DeleteIdentitiesInput{},
		&DeleteIdentityPoolInput{},
		&DescribeIdentityInput{},
		&DescribeIdentityPoolInput{},
		&GetCredentialsForIdentityInput{},
		&GetIdInput{},
		&GetIdentityPoolRolesInput{},
		&GetOpenIdTokenInput{},
		&GetOpenIdTokenForDeveloperIdentityInput{},
		&GetPrincipalTagAttributeMapInput{},
		&ListIdentitiesInput{},
		&ListIdentityPoolsInput{},
		&ListTagsForResourceInput{},
		&LookupDeveloperIdentityInput{},
		&MergeDeveloperIdentitiesInput{},
		&SetIdentityPoolRolesInput{},
		&SetPrincipalTagAttributeMapInput{},
		&TagResourceInput{},
		&UnlinkDeveloperIdentityInput{},
		&UnlinkIdentityInput{},
		&UntagResourceInput{},
		&UpdateIdentityPoolInput{},
	}
}

// TestFastEncodeMatchesEncodingJSON: the generated appendJSON methods write
// what json.Marshal writes (byte for byte, so also as parsed JSON) for random
// values of every input type: odd strings (escapes, control characters,
// HTML characters, non-ASCII, invalid UTF-8), nil, empty and full maps and
// slices, nil and set pointers.
func TestFastEncodeMatchesEncodingJSON(t *testing.T) {
	for _, plain := range []bool{false, true} {
		f := &filler{rnd: rand.New(rand.NewSource(3)), plain: plain}
		for _, typ := range encoderTypes() {
			for i := 0; i < 300; i++ {
				v := reflect.New(reflect.TypeOf(typ).Elem())
				if i > 0 { // the first one is the zero value
					f.fill(v.Elem(), 0)
				}
				want, err := json.Marshal(v.Interface())
				if err != nil {
					t.Fatal(err)
				}
				got, err := encodeInput(v.Interface())
				if err != nil {
					t.Fatal(err)
				}
				var wantV, gotV any
				if err := json.Unmarshal(want, &wantV); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(got, &gotV); err != nil {
					t.Fatalf("%T: appendJSON wrote %q, not JSON: %v", typ, got, err)
				}
				if !reflect.DeepEqual(wantV, gotV) || !bytes.Equal(want, got) {
					t.Fatalf("%T:\njson.Marshal %s\nappendJSON   %s", typ, want, got)
				}
			}
		}
	}
}

func TestFastEncodeEdgeCases(t *testing.T) {
	for _, in := range []any{
		(*GetIdInput)(nil),
		&GetIdInput{},
		&GetIdInput{IdentityPoolId: "a\"b\\c\x00\x1f\x7f<>&\u2028\u2029\xff\xc3", Logins: map[string]string{"": "", "\xff": "\u00e9", "b": "2", "a": "1"}},
		&SetIdentityPoolRolesInput{Roles: map[string]string{}, RoleMappings: map[string]RoleMapping{"k": {}}},
		&ListIdentitiesInput{MaxResults: -2147483648, HideDisabled: Bool(false)},
		&DeleteIdentitiesInput{IdentityIdsToDelete: []string{}},
		&DeleteIdentitiesInput{IdentityIdsToDelete: nil},
		&GetPrincipalTagAttributeMapInput{},
		map[string]int{"MaxResults": 1},
	} {
		want, err1 := json.Marshal(in)
		got, err2 := encodeInput(in)
		if err1 != nil || err2 != nil || !bytes.Equal(want, got) {
			t.Fatalf("%#v:\njson.Marshal %s %v\nencodeInput  %s %v", in, want, err1, got, err2)
		}
	}
}

// endsPlainString is what special marks: a byte a plain string cannot hold.
func endsPlainString(c byte) bool { return c == '"' || c == '\\' || c < 0x20 || c >= 0x80 }

// TestSpecialMarksTheFirstByteThatEndsAPlainString: every byte value at
// every place of a word of plain bytes (those beside the marked ranges
// among them), alone and with marks above it.
func TestSpecialMarksTheFirstByteThatEndsAPlainString(t *testing.T) {
	fills := []byte{'a', ' ', '!', '#', '[', ']', '~', 0x7f}
	for at := 0; at < 8; at++ {
		for c := 0; c < 256; c++ {
			for _, fill := range fills {
				for _, above := range []byte{fill, 0, '"', 0xff} {
					var w [8]byte
					for i := range w {
						if i < at {
							w[i] = fill
						} else {
							w[i] = above
						}
					}
					w[at] = byte(c)
					m := special(binary.LittleEndian.Uint64(w[:]))
					switch {
					case endsPlainString(byte(c)) && (m == 0 || bits.TrailingZeros64(m)>>3 != at):
						t.Fatalf("%q: mark %#x, want the lowest at byte %d", w, m, at)
					case !endsPlainString(byte(c)) && above == fill && m != 0:
						t.Fatalf("%q: mark %#x, want none", w, m)
					case !endsPlainString(byte(c)) && above != fill && (m == 0 || bits.TrailingZeros64(m)>>3 != at+1) && at < 7:
						t.Fatalf("%q: mark %#x, want the lowest at byte %d", w, m, at+1)
					}
				}
			}
		}
	}
}

// TestRawStringMatchesAByteAtATimeScan: strings of every length around the
// eight-byte steps, with what ends or spoils a plain string at every place.
func TestRawStringMatchesAByteAtATimeScan(t *testing.T) {
	reference := func(doc string) (string, bool) { // the scan rawString replaced
		for i := 1; i < len(doc); i++ {
			switch c := doc[i]; {
			case c == '"':
				if !utf8.ValidString(doc[1:i]) {
					return "", false
				}
				return doc[1:i], true
			case c == '\\' || c < 0x20:
				return "", false
			}
		}
		return "", false
	}
	inserts := []string{"", "\"", "\\", "\x01", "\x1f", "é", "\xff", "\xc3", "€"}
	for n := 0; n <= 20; n++ {
		for at := 0; at <= n; at++ {
			for _, ins := range inserts {
				for _, closed := range []bool{true, false} {
					body := strings.Repeat("a", at) + ins + strings.Repeat("b", n-at)
					doc := `"` + body
					if closed {
						doc += `"`
					}
					r := fastReader{b: []byte(doc), s: doc}
					got, ok := r.rawString()
					want, wantOK := reference(doc)
					if ok != wantOK || got != want {
						t.Fatalf("%q: got %q %v, want %q %v", doc, got, ok, want, wantOK)
					}
					if ok && r.i != len(want)+2 {
						t.Fatalf("%q: read to %d, want %d", doc, r.i, len(want)+2)
					}
				}
			}
		}
	}
}
