// The header is valid C++: compiled with g++ -Wall -Wextra -Werror, linked and run.
#include "cognito_identity.h"

#include <cstdio>
#include <cstring>

int main() {
  cognito_identity_client *client = nullptr;
  char *error = nullptr;
  cognito_identity_status s = cognito_identity_client_new("{\"regoin\": 1}", &client, &error);
  bool ok = s == COGNITO_IDENTITY_CONFIGURATION && client == nullptr && error != nullptr;
  cognito_identity_string_free(error);
  ok = ok && std::strcmp(cognito_identity_version(), COGNITO_IDENTITY_VERSION) == 0;
  std::printf("%s - the header compiles and links as C++\n", ok ? "ok" : "not ok");
  return ok ? 0 : 1;
}
