package cognitoidentity

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestEveryOperation walks one identity pool through its life and calls each
// of the 23 operations at least once, checking the typed outputs.
func TestEveryOperation(t *testing.T) {
	c := newClient(t)
	ctx := context.Background()
	called := map[string]bool{}
	step := func(op string, f func(t *testing.T)) {
		called[op] = true
		if !t.Run(op, f) {
			t.FailNow() // later steps build on this one
		}
	}
	check := func(t *testing.T, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	var pool *CreateIdentityPoolOutput
	outer := t // the pool must outlive this step
	step("CreateIdentityPool", func(t *testing.T) {
		pool = createPool(outer, c, "go-every-operation")
		if pool.IdentityPoolId == "" || pool.IdentityPoolName != "go-every-operation" || !pool.AllowUnauthenticatedIdentities {
			t.Fatalf("unexpected pool %+v", pool)
		}
		if pool.ResponseMetadata.HTTPStatusCode != 200 || pool.ResponseMetadata.RequestId == "" {
			t.Fatalf("ResponseMetadata = %+v", pool.ResponseMetadata)
		}
	})
	poolID := pool.IdentityPoolId
	poolArn := "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/" + poolID

	step("DescribeIdentityPool", func(t *testing.T) {
		out, err := c.DescribeIdentityPool(ctx, &DescribeIdentityPoolInput{IdentityPoolId: poolID})
		check(t, err)
		if out.DeveloperProviderName != "login.gotest" || out.SupportedLoginProviders["graph.facebook.com"] != "123456789" {
			t.Fatalf("unexpected pool %+v", out)
		}
	})
	step("UpdateIdentityPool", func(t *testing.T) {
		out, err := c.UpdateIdentityPool(ctx, &UpdateIdentityPoolInput{
			IdentityPoolId:                 poolID,
			IdentityPoolName:               "go-every-operation-renamed",
			AllowUnauthenticatedIdentities: true,
			AllowClassicFlow:               Bool(true),
			SupportedLoginProviders:        map[string]string{"graph.facebook.com": "123456789"},
			DeveloperProviderName:          "login.gotest",
		})
		check(t, err)
		if out.IdentityPoolName != "go-every-operation-renamed" || out.AllowClassicFlow == nil || !*out.AllowClassicFlow {
			t.Fatalf("unexpected pool %+v", out)
		}
	})
	step("ListIdentityPools", func(t *testing.T) {
		out, err := c.ListIdentityPools(ctx, &ListIdentityPoolsInput{MaxResults: 60})
		check(t, err)
		if !slices.ContainsFunc(out.IdentityPools, func(p IdentityPoolShortDescription) bool { return p.IdentityPoolId == poolID }) {
			t.Fatalf("pool %s not listed in %+v", poolID, out.IdentityPools)
		}
	})
	step("SetIdentityPoolRoles", func(t *testing.T) {
		_, err := c.SetIdentityPoolRoles(ctx, &SetIdentityPoolRolesInput{
			IdentityPoolId: poolID,
			Roles:          map[string]string{"authenticated": roleArn("auth"), "unauthenticated": roleArn("unauth")},
			RoleMappings: map[string]RoleMapping{"graph.facebook.com": {
				Type:                    RoleMappingTypeRules,
				AmbiguousRoleResolution: AmbiguousRoleResolutionTypeAuthenticatedRole,
				RulesConfiguration: &RulesConfigurationType{Rules: []MappingRule{
					{Claim: "sub", MatchType: MappingRuleMatchTypeEquals, Value: "admin", RoleARN: roleArn("admin")},
				}},
			}},
		})
		check(t, err)
	})
	step("GetIdentityPoolRoles", func(t *testing.T) {
		out, err := c.GetIdentityPoolRoles(ctx, &GetIdentityPoolRolesInput{IdentityPoolId: poolID})
		check(t, err)
		m := out.RoleMappings["graph.facebook.com"]
		if out.Roles["authenticated"] != roleArn("auth") || m.Type != RoleMappingTypeRules ||
			m.RulesConfiguration == nil || len(m.RulesConfiguration.Rules) != 1 {
			t.Fatalf("unexpected roles %+v", out)
		}
	})
	step("TagResource", func(t *testing.T) {
		_, err := c.TagResource(ctx, &TagResourceInput{ResourceArn: poolArn, Tags: map[string]string{"team": "go", "tier": "test"}})
		check(t, err)
	})
	step("UntagResource", func(t *testing.T) {
		_, err := c.UntagResource(ctx, &UntagResourceInput{ResourceArn: poolArn, TagKeys: []string{"tier"}})
		check(t, err)
	})
	step("ListTagsForResource", func(t *testing.T) {
		out, err := c.ListTagsForResource(ctx, &ListTagsForResourceInput{ResourceArn: poolArn})
		check(t, err)
		if len(out.Tags) != 1 || out.Tags["team"] != "go" {
			t.Fatalf("tags = %v", out.Tags)
		}
	})

	var guest string
	step("GetId", func(t *testing.T) {
		out, err := c.GetId(ctx, &GetIdInput{IdentityPoolId: poolID})
		check(t, err)
		guest = out.IdentityId
		if guest == "" {
			t.Fatal("no IdentityId")
		}
	})
	step("GetCredentialsForIdentity", func(t *testing.T) {
		out, err := c.GetCredentialsForIdentity(ctx, &GetCredentialsForIdentityInput{IdentityId: guest})
		check(t, err)
		cr := out.Credentials
		if out.IdentityId != guest || cr == nil || cr.AccessKeyId == "" || cr.SecretKey == "" || cr.SessionToken == "" {
			t.Fatalf("unexpected output %v", out)
		}
		if d := time.Until(cr.Expiration); d < time.Minute || d > 2*time.Hour {
			t.Fatalf("Expiration %v is not about an hour away", cr.Expiration)
		}
	})
	step("GetOpenIdToken", func(t *testing.T) {
		out, err := c.GetOpenIdToken(ctx, &GetOpenIdTokenInput{IdentityId: guest})
		check(t, err)
		if out.IdentityId != guest || out.Token == "" {
			t.Fatalf("unexpected output %v", out)
		}
	})

	facebook := map[string]string{"graph.facebook.com": "facebook-user-a"}
	var linked string
	step("DescribeIdentity", func(t *testing.T) {
		got, err := c.GetId(ctx, &GetIdInput{IdentityPoolId: poolID, Logins: facebook})
		check(t, err)
		linked = got.IdentityId
		out, err := c.DescribeIdentity(ctx, &DescribeIdentityInput{IdentityId: linked})
		check(t, err)
		if out.IdentityId != linked || !slices.Contains(out.Logins, "graph.facebook.com") {
			t.Fatalf("unexpected identity %+v", out)
		}
		if out.CreationDate.IsZero() || time.Since(out.CreationDate) > time.Hour || out.CreationDate.After(time.Now().Add(time.Minute)) {
			t.Fatalf("CreationDate %v is not recent", out.CreationDate)
		}
	})
	step("ListIdentities", func(t *testing.T) {
		out, err := c.ListIdentities(ctx, &ListIdentitiesInput{IdentityPoolId: poolID, MaxResults: 60})
		check(t, err)
		var ids []string
		for _, id := range out.Identities {
			ids = append(ids, id.IdentityId)
		}
		if !slices.Contains(ids, guest) || !slices.Contains(ids, linked) {
			t.Fatalf("identities %v lack %s or %s", ids, guest, linked)
		}
	})
	step("UnlinkIdentity", func(t *testing.T) {
		_, err := c.UnlinkIdentity(ctx, &UnlinkIdentityInput{IdentityId: linked, Logins: facebook, LoginsToRemove: []string{"graph.facebook.com"}})
		check(t, err)
		out, err := c.DescribeIdentity(ctx, &DescribeIdentityInput{IdentityId: linked})
		check(t, err)
		if slices.Contains(out.Logins, "graph.facebook.com") {
			t.Fatalf("login still linked: %v", out.Logins)
		}
	})

	var dev1, dev2 string
	step("GetOpenIdTokenForDeveloperIdentity", func(t *testing.T) {
		for _, user := range []string{"dev-user-1", "dev-user-2"} {
			out, err := c.GetOpenIdTokenForDeveloperIdentity(ctx, &GetOpenIdTokenForDeveloperIdentityInput{
				IdentityPoolId: poolID,
				Logins:         map[string]string{"login.gotest": user},
				TokenDuration:  Int64(600),
			})
			check(t, err)
			if out.IdentityId == "" || out.Token == "" {
				t.Fatalf("unexpected output %v", out)
			}
			if user == "dev-user-1" {
				dev1 = out.IdentityId
			} else {
				dev2 = out.IdentityId
			}
		}
		if dev1 == dev2 {
			t.Fatal("two developer users share one identity")
		}
	})
	step("LookupDeveloperIdentity", func(t *testing.T) {
		out, err := c.LookupDeveloperIdentity(ctx, &LookupDeveloperIdentityInput{IdentityPoolId: poolID, DeveloperUserIdentifier: "dev-user-1", MaxResults: Int32(10)})
		check(t, err)
		if out.IdentityId != dev1 || !slices.Contains(out.DeveloperUserIdentifierList, "dev-user-1") {
			t.Fatalf("unexpected output %+v", out)
		}
	})
	step("MergeDeveloperIdentities", func(t *testing.T) {
		out, err := c.MergeDeveloperIdentities(ctx, &MergeDeveloperIdentitiesInput{
			SourceUserIdentifier:      "dev-user-2",
			DestinationUserIdentifier: "dev-user-1",
			DeveloperProviderName:     "login.gotest",
			IdentityPoolId:            poolID,
		})
		check(t, err)
		if out.IdentityId != dev1 {
			t.Fatalf("merged into %s, want %s", out.IdentityId, dev1)
		}
	})
	step("UnlinkDeveloperIdentity", func(t *testing.T) {
		_, err := c.UnlinkDeveloperIdentity(ctx, &UnlinkDeveloperIdentityInput{
			IdentityId: dev1, IdentityPoolId: poolID, DeveloperProviderName: "login.gotest", DeveloperUserIdentifier: "dev-user-1",
		})
		check(t, err)
		_, err = c.LookupDeveloperIdentity(ctx, &LookupDeveloperIdentityInput{IdentityPoolId: poolID, DeveloperUserIdentifier: "dev-user-1"})
		if !IsCode(err, ErrCodeResourceNotFound) {
			t.Fatalf("lookup after unlink: %v", err)
		}
	})
	step("SetPrincipalTagAttributeMap", func(t *testing.T) {
		out, err := c.SetPrincipalTagAttributeMap(ctx, &SetPrincipalTagAttributeMapInput{
			IdentityPoolId: poolID, IdentityProviderName: "graph.facebook.com",
			UseDefaults: Bool(false), PrincipalTags: map[string]string{"app": "aud"},
		})
		check(t, err)
		if out.PrincipalTags["app"] != "aud" {
			t.Fatalf("unexpected output %+v", out)
		}
	})
	step("GetPrincipalTagAttributeMap", func(t *testing.T) {
		out, err := c.GetPrincipalTagAttributeMap(ctx, &GetPrincipalTagAttributeMapInput{IdentityPoolId: poolID, IdentityProviderName: "graph.facebook.com"})
		check(t, err)
		if out.UseDefaults == nil || *out.UseDefaults || out.PrincipalTags["app"] != "aud" {
			t.Fatalf("unexpected output %+v", out)
		}
	})
	step("DeleteIdentities", func(t *testing.T) {
		out, err := c.DeleteIdentities(ctx, &DeleteIdentitiesInput{IdentityIdsToDelete: []string{guest}})
		check(t, err)
		if len(out.UnprocessedIdentityIds) != 0 {
			t.Fatalf("unprocessed: %+v", out.UnprocessedIdentityIds)
		}
		_, err = c.DescribeIdentity(ctx, &DescribeIdentityInput{IdentityId: guest})
		if !IsCode(err, ErrCodeResourceNotFound) {
			t.Fatalf("describe after delete: %v", err)
		}
	})
	step("DeleteIdentityPool", func(t *testing.T) {
		_, err := c.DeleteIdentityPool(ctx, &DeleteIdentityPoolInput{IdentityPoolId: poolID})
		check(t, err)
		_, err = c.DescribeIdentityPool(ctx, &DescribeIdentityPoolInput{IdentityPoolId: poolID})
		if !IsCode(err, ErrCodeResourceNotFound) {
			t.Fatalf("describe after delete: %v", err)
		}
	})

	var missing []string
	for _, op := range Operations {
		if !called[op] {
			missing = append(missing, op)
		}
	}
	sort.Strings(missing)
	if len(Operations) != 23 || len(missing) > 0 {
		t.Fatalf("%d operations, not called: %v", len(Operations), missing)
	}
}

// TestGenericCall uses Call with untyped input and output.
func TestGenericCall(t *testing.T) {
	c := newClient(t)
	pool := createPool(t, c, "go-generic-call")
	var out map[string]any
	if err := c.Call(context.Background(), "GetId", map[string]any{"IdentityPoolId": pool.IdentityPoolId}, &out); err != nil {
		t.Fatal(err)
	}
	if id, _ := out["IdentityId"].(string); id == "" {
		t.Fatalf("output %v", out)
	}
	if md, _ := out["ResponseMetadata"].(map[string]any); md["HTTPStatusCode"] != float64(200) {
		t.Fatalf("ResponseMetadata %v", out["ResponseMetadata"])
	}
	if err := c.Call(context.Background(), "ListIdentityPools", []byte(`{"MaxResults": 5}`), nil); err != nil {
		t.Fatal(err)
	}
}

// TestTypedMethodsDecodeWhatTheFastPathLeaves: a typed method's answer with
// a string the fast decoder does not take (escaped quotes and a U+2028, which
// the emulator writes escaped) is decoded by encoding/json into the same
// value that Call gives.
func TestTypedMethodsDecodeWhatTheFastPathLeaves(t *testing.T) {
	c := newClient(t)
	ctx := context.Background()
	pool := createPool(t, c, "go-slow-decode")
	user := "say \"hi\"\u2028now"
	if _, err := c.GetOpenIdTokenForDeveloperIdentity(ctx, &GetOpenIdTokenForDeveloperIdentityInput{
		IdentityPoolId: pool.IdentityPoolId,
		Logins:         map[string]string{"login.gotest": user},
	}); err != nil {
		t.Fatal(err)
	}
	in := &LookupDeveloperIdentityInput{IdentityPoolId: pool.IdentityPoolId, DeveloperUserIdentifier: user, MaxResults: Int32(10)}
	typed, err := c.LookupDeveloperIdentity(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(typed.DeveloperUserIdentifierList, user) || typed.IdentityId == "" {
		t.Fatalf("typed method gave %+v", typed)
	}
	var raw json.RawMessage
	if err := c.Call(ctx, "LookupDeveloperIdentity", in, &raw); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `\"hi\"`) {
		t.Fatalf("the answer needs no escape, so the fast path took it: %s", raw)
	}
	var want LookupDeveloperIdentityOutput
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	want.ResponseMetadata, typed.ResponseMetadata = ResponseMetadata{}, ResponseMetadata{} // request ids differ
	if !reflect.DeepEqual(*typed, want) {
		t.Fatalf("typed %+v, want %+v", *typed, want)
	}
}
