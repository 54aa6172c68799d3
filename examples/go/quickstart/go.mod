module github.com/cognito-identity/cognito-identity/examples/go/quickstart

go 1.22

require github.com/cognito-identity/cognito-identity/go v0.0.0

replace github.com/cognito-identity/cognito-identity/go => ../../../go
