package cognitoidentity

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestServiceErrorWithErrorsAs(t *testing.T) {
	c := newClient(t)
	missing := "us-east-1:00000000-0000-0000-0000-00000000dead"
	_, err := c.DescribeIdentityPool(context.Background(), &DescribeIdentityPoolInput{IdentityPoolId: missing})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *Error", err, err)
	}
	if e.Code != ErrCodeResourceNotFound || e.Type != "Sender" || e.HTTPStatusCode != 400 ||
		e.RequestID == "" || e.Status != StatusService || e.Operation != "DescribeIdentityPool" || e.Message == "" {
		t.Fatalf("unexpected error fields %+v", e)
	}
	if !IsCode(err, ErrCodeResourceNotFound) || IsCode(err, ErrCodeNotAuthorized) || IsCode(nil, ErrCodeResourceNotFound) {
		t.Fatal("IsCode disagrees with Code")
	}
	if !strings.Contains(err.Error(), "ResourceNotFoundException") || !strings.Contains(err.Error(), e.RequestID) {
		t.Fatalf("Error() = %q", err.Error())
	}
	// Wrapped errors still match.
	if !IsCode(errors.Join(errors.New("context"), err), ErrCodeResourceNotFound) {
		t.Fatal("IsCode does not see through wrapping")
	}
}

func TestValidationErrorIsClientSide(t *testing.T) {
	c := newClient(t)
	// Too short a pool id and a MaxResults above the model's 60.
	_, err := c.ListIdentities(context.Background(), &ListIdentitiesInput{IdentityPoolId: "x", MaxResults: 61})
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeParamValidation || e.Status != StatusValidation || e.HTTPStatusCode != 0 || e.RequestID != "" {
		t.Fatalf("unexpected error %#v", err)
	}
	// A required member left at its zero value is caught too.
	if _, err := c.GetId(context.Background(), nil); !IsCode(err, CodeParamValidation) {
		t.Fatalf("GetId(nil): %v", err)
	}
}

func TestUnknownOperation(t *testing.T) {
	c := newClient(t)
	err := c.Call(context.Background(), "NoSuchOperation", nil, nil)
	var e *Error
	if !errors.As(err, &e) || e.Status != StatusUnknownOperation || e.Code != CodeOperationNotFound {
		t.Fatalf("unexpected error %#v", err)
	}
}

func TestThrottlingIsRetriedThenReported(t *testing.T) {
	c := newClient(t)
	pool := createPool(t, c, "go-throttle")
	// One throttle is absorbed by a retry.
	injectFault(t, fault{Kind: "throttle", Count: 1, Operation: "GetId"})
	out, err := c.GetId(context.Background(), &GetIdInput{IdentityPoolId: pool.IdentityPoolId})
	if err != nil {
		t.Fatal(err)
	}
	if out.ResponseMetadata.RetryAttempts != 1 {
		t.Fatalf("RetryAttempts = %d, want 1", out.ResponseMetadata.RetryAttempts)
	}
	// More throttles than attempts surface as the service's error.
	injectFault(t, fault{Kind: "throttle", Count: 10, Operation: "GetId"})
	_, err = c.GetId(context.Background(), &GetIdInput{IdentityPoolId: pool.IdentityPoolId})
	var e *Error
	if !errors.As(err, &e) || e.Code != ErrCodeTooManyRequests || e.RetryAttempts != 2 || e.HTTPStatusCode != 400 {
		t.Fatalf("unexpected error %#v", err)
	}
}

func TestServerErrorStatus(t *testing.T) {
	c, err := New(Config{Region: "us-east-1", EndpointURL: endpoint, Unsigned: true, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	injectFault(t, fault{Kind: "status", Count: 1, Operation: "GetId", Status: 503})
	_, err = c.GetId(context.Background(), &GetIdInput{IdentityPoolId: "us-east-1:00000000-0000-0000-0000-000000000000"})
	var e *Error
	if !errors.As(err, &e) || e.HTTPStatusCode != 503 || e.Status != StatusService {
		t.Fatalf("unexpected error %#v", err)
	}
}

func TestMalformedResponse(t *testing.T) {
	c, err := New(Config{Region: "us-east-1", EndpointURL: endpoint, Unsigned: true, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	injectFault(t, fault{Kind: "malformed", Count: 1, Operation: "GetId"})
	_, err = c.GetId(context.Background(), &GetIdInput{IdentityPoolId: "us-east-1:00000000-0000-0000-0000-000000000000"})
	var e *Error
	if !errors.As(err, &e) || e.Status != StatusInvalidResponse {
		t.Fatalf("unexpected error %#v", err)
	}
}

func TestConnectionRefusedIsTransport(t *testing.T) {
	// Port 9 (discard) on loopback is closed on test machines.
	c, err := New(Config{Region: "us-east-1", EndpointURL: "http://127.0.0.1:9", Unsigned: true, MaxAttempts: 1, ConnectTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.GetId(context.Background(), &GetIdInput{IdentityPoolId: "us-east-1:00000000-0000-0000-0000-000000000000"})
	var e *Error
	if !errors.As(err, &e) || (e.Status != StatusTransport && e.Status != StatusTimeout) || e.HTTPStatusCode != 0 {
		t.Fatalf("unexpected error %#v", err)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	_, err := New(Config{Region: "not a region!", EndpointURL: endpoint})
	var e *Error
	if !errors.As(err, &e) || e.Status == StatusOK || e.Code == "" {
		t.Fatalf("unexpected error %#v", err)
	}
	if _, err := New(Config{Region: "us-east-1", ReadTimeout: -time.Second}); !IsCode(err, CodeInvalidConfig) {
		t.Fatalf("negative timeout: %v", err)
	}
}

func TestSignedOperationWithoutCredentials(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	isolateCredentials(t)
	c, err := New(Config{Region: "us-east-1", EndpointURL: endpoint})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.ListIdentityPools(context.Background(), &ListIdentityPoolsInput{MaxResults: 1})
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeNoCredentials || e.Status != StatusCredentials {
		t.Fatalf("unexpected error %#v", err)
	}
	// GetId is unsigned: it works with no credentials at all.
	_, err = c.GetId(context.Background(), &GetIdInput{IdentityPoolId: "us-east-1:00000000-0000-0000-0000-000000000000"})
	if IsCode(err, CodeNoCredentials) {
		t.Fatalf("unsigned GetId wanted credentials: %v", err)
	}
}

func TestClosedClient(t *testing.T) {
	c, err := New(testConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
	if _, err := c.GetId(context.Background(), &GetIdInput{IdentityPoolId: "us-east-1:00000000-0000-0000-0000-000000000000"}); !errors.Is(err, ErrClosed) {
		t.Fatalf("call after Close: %v", err)
	}
}

func TestInvalidJSONInputIsInvalidArgument(t *testing.T) {
	c := newClient(t)
	err := c.Call(context.Background(), "GetId", []byte(`{"IdentityPoolId": `), nil)
	var e *Error
	if !errors.As(err, &e) || e.Status != StatusInvalidArgument {
		t.Fatalf("unexpected error %#v", err)
	}
	err = c.Call(context.Background(), "GetId", func() {}, nil)
	if !errors.As(err, &e) || e.Code != CodeInvalidArgument {
		t.Fatalf("unencodable input: %#v", err)
	}
}
