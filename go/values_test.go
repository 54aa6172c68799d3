package cognitoidentity

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestTimestampsAreEpochSeconds(t *testing.T) {
	var c Credentials
	if err := json.Unmarshal([]byte(`{"AccessKeyId":"AKIA","Expiration":1700000000.25}`), &c); err != nil {
		t.Fatal(err)
	}
	want := time.Unix(1700000000, 250_000_000).UTC()
	if !c.Expiration.Equal(want) || c.AccessKeyId != "AKIA" {
		t.Fatalf("got %+v", c)
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"AccessKeyId":"AKIA","Expiration":1700000000.25}` {
		t.Fatalf("marshalled %s", b)
	}
	var d DescribeIdentityOutput
	if err := json.Unmarshal([]byte(`{"IdentityId":"x","CreationDate":1700000000,"ResponseMetadata":{"RetryAttempts":0}}`), &d); err != nil {
		t.Fatal(err)
	}
	if d.CreationDate.Unix() != 1700000000 || !d.LastModifiedDate.IsZero() {
		t.Fatalf("got %+v", d)
	}
	if err := json.Unmarshal([]byte(`{"CreationDate":"yesterday"}`), &d); err == nil {
		t.Fatal("a string timestamp was accepted")
	}
}

func TestSecretsAreRedacted(t *testing.T) {
	cfg := Config{Region: "us-east-1", AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI", SessionToken: "FwoGZXIvYXdzE"}
	cr := &Credentials{AccessKeyId: "ASIA", SecretKey: "wJalrXUtnFEMI", SessionToken: "FwoGZXIvYXdzE"}
	tok := GetOpenIdTokenOutput{IdentityId: "id", Token: "eyJhbGciOi"}
	in := GetIdInput{IdentityPoolId: "p", Logins: map[string]string{"graph.facebook.com": "eyJhbGciOi"}}
	for _, s := range []string{
		fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg),
		fmt.Sprint(cr), fmt.Sprintf("%+v", *cr), fmt.Sprintf("%#v", cr),
		fmt.Sprint(tok), fmt.Sprint(in), fmt.Sprintf("%#v", in),
	} {
		for _, secret := range []string{"wJalrXUtnFEMI", "FwoGZXIvYXdzE", "eyJhbGciOi"} {
			if strings.Contains(s, secret) {
				t.Errorf("%q shows a secret", s)
			}
		}
	}
	if !strings.Contains(fmt.Sprint(cfg), "AKIDEXAMPLE") || !strings.Contains(fmt.Sprint(in), "graph.facebook.com") {
		t.Error("redaction hid more than the secrets")
	}
}

func TestConfigJSONOmitsUnsetKeys(t *testing.T) {
	b, err := (Config{}).toJSON()
	if err != nil || string(b) != "{}" {
		t.Fatalf("zero Config -> %s, %v", b, err)
	}
	b, err = Config{Region: "eu-west-1", ConnectTimeout: 1500 * time.Millisecond, MaxAttempts: 5, UseFIPSEndpoint: true}.toJSON()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	if len(m) != 4 || m["region"] != "eu-west-1" || m["connect_timeout"] != 1.5 || m["max_attempts"] != float64(5) || m["use_fips_endpoint"] != true {
		t.Fatalf("config JSON %s", b)
	}
}

func TestOptionalMembersAreOmitted(t *testing.T) {
	b, _ := json.Marshal(&ListIdentitiesInput{IdentityPoolId: "p", MaxResults: 10})
	if string(b) != `{"IdentityPoolId":"p","MaxResults":10}` {
		t.Fatalf("marshalled %s", b)
	}
	b, _ = json.Marshal(&ListIdentitiesInput{IdentityPoolId: "p", MaxResults: 10, HideDisabled: Bool(false)})
	if string(b) != `{"IdentityPoolId":"p","MaxResults":10,"HideDisabled":false}` {
		t.Fatalf("marshalled %s", b)
	}
}

func TestVersion(t *testing.T) {
	if Version() == "" {
		t.Fatal("empty version")
	}
}
