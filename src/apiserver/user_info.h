#pragma once

#include <map>
#include <string>
#include <vector>

namespace tug::apiserver {

// Who made a request, as authentication established it.
struct UserInfo {
  std::string name;  // "system:anonymous" when nobody authenticated
  std::vector<std::string> groups;
  bool authenticated = false;
  // Set by authenticators that know them (a service account's UID and its token's pod, node
  // and credential id); SelfSubjectReview reports them.
  std::string uid;
  std::map<std::string, std::vector<std::string>> extra;

  static UserInfo anonymous() {
    return UserInfo{"system:anonymous", {"system:unauthenticated"}, false, {}, {}};
  }
};

}  // namespace tug::apiserver
