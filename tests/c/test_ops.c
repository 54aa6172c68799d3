/* Every one of the 23 operations through its own function, against the emulator. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEV "login.ctest"
#define FB "\"graph.facebook.com\": \"alice\""

static char buf[4096];

/* Formats the input into `buf` (one call's input at a time). */
#define INPUT(...) (snprintf(buf, sizeof buf, __VA_ARGS__), buf)

/* Calls one operation's function and frees its output. */
static void run(const char *what, op_fn fn, const cognito_identity_client *client, const char *input) {
  cognito_identity_string_free(call_ok(what, fn, client, input));
}

/* Calls one operation's function and returns the string member `key` of its output. */
static char *run_get(const char *what, op_fn fn, const cognito_identity_client *client, const char *input,
                     const char *key) {
  char *out = call_ok(what, fn, client, input);
  char *value = out ? json_string(out, key) : NULL;
  check(out == NULL || value != NULL, "%s returns %s", what, key);
  cognito_identity_string_free(out);
  return value;
}

int main(void) {
  check(strcmp(cognito_identity_version(), COGNITO_IDENTITY_VERSION) == 0, "version %s matches the header",
        cognito_identity_version());
  cognito_identity_client *c = new_client(NULL);

  char *pool = run_get("CreateIdentityPool", cognito_identity_create_identity_pool, c,
                       "{\"IdentityPoolName\": \"c_ops\", \"AllowUnauthenticatedIdentities\": true,"
                       " \"SupportedLoginProviders\": {\"graph.facebook.com\": \"123\"},"
                       " \"DeveloperProviderName\": \"" DEV "\", \"IdentityPoolTags\": {\"a\": \"1\"}}",
                       "IdentityPoolId");
  if (pool == NULL) {
    cognito_identity_client_free(c);
    return finish("test_ops");
  }
  run("DescribeIdentityPool", cognito_identity_describe_identity_pool, c,
      INPUT("{\"IdentityPoolId\": \"%s\"}", pool));
  run("UpdateIdentityPool", cognito_identity_update_identity_pool, c,
      INPUT("{\"IdentityPoolId\": \"%s\", \"IdentityPoolName\": \"c_ops_renamed\","
            " \"AllowUnauthenticatedIdentities\": true,"
            " \"SupportedLoginProviders\": {\"graph.facebook.com\": \"123\"},"
            " \"DeveloperProviderName\": \"" DEV "\"}",
            pool));
  run("ListIdentityPools", cognito_identity_list_identity_pools, c, "{\"MaxResults\": 10}");
  run("SetIdentityPoolRoles", cognito_identity_set_identity_pool_roles, c,
      INPUT("{\"IdentityPoolId\": \"%s\", \"Roles\": {"
            "\"authenticated\": \"arn:aws:iam::123456789012:role/Auth\","
            " \"unauthenticated\": \"arn:aws:iam::123456789012:role/Unauth\"}}",
            pool));
  run("GetIdentityPoolRoles", cognito_identity_get_identity_pool_roles, c,
      INPUT("{\"IdentityPoolId\": \"%s\"}", pool));

  char *id = run_get("GetId", cognito_identity_get_id, c,
                     INPUT("{\"IdentityPoolId\": \"%s\", \"Logins\": {" FB "}}", pool), "IdentityId");
  if (id != NULL) {
    run("GetCredentialsForIdentity", cognito_identity_get_credentials_for_identity, c,
        INPUT("{\"IdentityId\": \"%s\", \"Logins\": {" FB "}}", id));
    run("GetOpenIdToken", cognito_identity_get_open_id_token, c,
        INPUT("{\"IdentityId\": \"%s\", \"Logins\": {" FB "}}", id));
    run("DescribeIdentity", cognito_identity_describe_identity, c, INPUT("{\"IdentityId\": \"%s\"}", id));
  }
  run("ListIdentities", cognito_identity_list_identities, c,
      INPUT("{\"IdentityPoolId\": \"%s\", \"MaxResults\": 10}", pool));

  char *dev1 = run_get("GetOpenIdTokenForDeveloperIdentity", cognito_identity_get_open_id_token_for_developer_identity,
                       c, INPUT("{\"IdentityPoolId\": \"%s\", \"Logins\": {\"" DEV "\": \"dev-1\"}}", pool),
                       "IdentityId");
  char *dev2 = run_get("GetOpenIdTokenForDeveloperIdentity (second user)",
                       cognito_identity_get_open_id_token_for_developer_identity, c,
                       INPUT("{\"IdentityPoolId\": \"%s\", \"Logins\": {\"" DEV "\": \"dev-2\"}}", pool),
                       "IdentityId");
  run("LookupDeveloperIdentity", cognito_identity_lookup_developer_identity, c,
      INPUT("{\"IdentityPoolId\": \"%s\", \"DeveloperUserIdentifier\": \"dev-1\"}", pool));
  run("MergeDeveloperIdentities", cognito_identity_merge_developer_identities, c,
      INPUT("{\"SourceUserIdentifier\": \"dev-1\", \"DestinationUserIdentifier\": \"dev-2\","
            " \"DeveloperProviderName\": \"" DEV "\", \"IdentityPoolId\": \"%s\"}",
            pool));
  if (dev2 != NULL) {
    run("UnlinkDeveloperIdentity", cognito_identity_unlink_developer_identity, c,
        INPUT("{\"IdentityId\": \"%s\", \"IdentityPoolId\": \"%s\", \"DeveloperProviderName\": \"" DEV "\","
              " \"DeveloperUserIdentifier\": \"dev-1\"}",
              dev2, pool));
  }

  run("SetPrincipalTagAttributeMap", cognito_identity_set_principal_tag_attribute_map, c,
      INPUT("{\"IdentityPoolId\": \"%s\", \"IdentityProviderName\": \"graph.facebook.com\","
            " \"PrincipalTags\": {\"department\": \"dept\"}}",
            pool));
  run("GetPrincipalTagAttributeMap", cognito_identity_get_principal_tag_attribute_map, c,
      INPUT("{\"IdentityPoolId\": \"%s\", \"IdentityProviderName\": \"graph.facebook.com\"}", pool));

  char arn[256];
  snprintf(arn, sizeof arn, "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/%s", pool);
  run("TagResource", cognito_identity_tag_resource, c,
      INPUT("{\"ResourceArn\": \"%s\", \"Tags\": {\"b\": \"2\"}}", arn));
  char *tags = call_ok("ListTagsForResource", cognito_identity_list_tags_for_resource, c,
                       INPUT("{\"ResourceArn\": \"%s\"}", arn));
  check(tags != NULL && strstr(tags, "\"Tags\":{\"a\":\"1\",\"b\":\"2\"}") != NULL, "ListTagsForResource shows both tags");
  cognito_identity_string_free(tags);
  run("UntagResource", cognito_identity_untag_resource, c,
      INPUT("{\"ResourceArn\": \"%s\", \"TagKeys\": [\"a\"]}", arn));

  if (id != NULL) {
    run("UnlinkIdentity", cognito_identity_unlink_identity, c,
        INPUT("{\"IdentityId\": \"%s\", \"Logins\": {" FB "}, \"LoginsToRemove\": [\"graph.facebook.com\"]}", id));
    run("DeleteIdentities", cognito_identity_delete_identities, c,
        INPUT("{\"IdentityIdsToDelete\": [\"%s\"]}", id));
  }
  run("DeleteIdentityPool", cognito_identity_delete_identity_pool, c, INPUT("{\"IdentityPoolId\": \"%s\"}", pool));

  /* The generic entry point reaches the same operations. */
  char *out = NULL;
  cognito_identity_status s = cognito_identity_call(c, "ListIdentityPools", "{\"MaxResults\": 5}", &out);
  check(s == COGNITO_IDENTITY_OK && out != NULL && strstr(out, "\"IdentityPools\":") != NULL,
        "cognito_identity_call(\"ListIdentityPools\")");
  cognito_identity_string_free(out);

  free(pool);
  free(id);
  free(dev1);
  free(dev2);
  cognito_identity_client_free(c);
  return finish("test_ops");
}
