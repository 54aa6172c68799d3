//! A local Amazon Cognito Identity server.
