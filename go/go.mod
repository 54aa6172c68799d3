module github.com/cognito-identity/cognito-identity/go

go 1.22
