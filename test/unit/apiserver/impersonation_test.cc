#include "apiserver/impersonation.h"

#include <catch2/catch.hpp>

using tug::apiserver::impersonate;
using tug::apiserver::ImpersonationRefusal;
using tug::apiserver::impersonationTargets;
using tug::apiserver::UserInfo;
using tug::auth::Attributes;
using tug::auth::Decision;

namespace {

UserInfo requester() { return UserInfo{"imp", {"system:authenticated"}, true, {}, {}}; }

// Allows everything but the names in `denied`, and records what was asked.
struct Recorder {
  std::vector<std::string> denied;
  std::vector<Attributes> asked;
  Decision operator()(const Attributes& a) {
    asked.push_back(a);
    return Decision{std::find(denied.begin(), denied.end(), a.name) == denied.end(), ""};
  }
};

}  // namespace

TEST_CASE("no impersonation headers leave the requester as it is", "[impersonation]") {
  Recorder r;
  auto acting = impersonate(requester(), {{"Accept", "application/json"}}, "/api",
                            std::ref(r));
  REQUIRE(std::holds_alternative<UserInfo>(acting));
  CHECK(std::get<UserInfo>(acting).name == "imp");
  CHECK(r.asked.empty());
}

TEST_CASE("each part is authorized and builds the user", "[impersonation]") {
  Recorder r;
  httplib::Headers headers = {{"impersonate-user", "alice"},
                              {"Impersonate-Group", "devs"},
                              {"Impersonate-Group", "qa"},
                              {"Impersonate-Uid", "u-1"},
                              {"Impersonate-Extra-Acme.com%2fproject", "p"}};
  auto acting = impersonate(requester(), headers, "/api", std::ref(r));
  REQUIRE(std::holds_alternative<UserInfo>(acting));
  const UserInfo& u = std::get<UserInfo>(acting);
  CHECK(u.name == "alice");
  CHECK(u.groups == std::vector<std::string>{"devs", "qa", "system:authenticated"});
  CHECK(u.uid == "u-1");
  CHECK(u.extra.at("acme.com/project") == std::vector<std::string>{"p"});
  REQUIRE(r.asked.size() == 5);
  CHECK((r.asked[0].verb == "impersonate" && r.asked[0].resource == "users" &&
         r.asked[0].name == "alice" && r.asked[0].user.name == "imp"));
  CHECK((r.asked[1].resource == "groups" && r.asked[1].name == "devs"));
  CHECK((r.asked[3].apiGroup == "authentication.k8s.io" && r.asked[3].resource == "userextras" &&
         r.asked[3].subresource == "acme.com/project" && r.asked[3].name == "p"));
  CHECK((r.asked[4].apiGroup == "authentication.k8s.io" && r.asked[4].resource == "uids"));
}

TEST_CASE("service accounts, anonymous and explicit authentication groups", "[impersonation]") {
  Recorder r;
  auto sa = impersonate(requester(), {{"Impersonate-User", "system:serviceaccount:ns:sa"}},
                        "/api", std::ref(r));
  CHECK(std::get<UserInfo>(sa).groups ==
        std::vector<std::string>{"system:serviceaccounts", "system:serviceaccounts:ns",
                                 "system:authenticated"});
  CHECK((r.asked[0].resource == "serviceaccounts" && r.asked[0].ns == "ns" &&
         r.asked[0].name == "sa"));
  // Not a valid service account name: an ordinary user.
  auto odd = impersonate(requester(), {{"Impersonate-User", "system:serviceaccount:a:b:c"}},
                         "/api", std::ref(r));
  CHECK(r.asked.back().resource == "users");
  CHECK(std::get<UserInfo>(odd).groups == std::vector<std::string>{"system:authenticated"});
  auto anon = impersonate(requester(), {{"Impersonate-User", "system:anonymous"}}, "/api",
                          std::ref(r));
  CHECK(std::get<UserInfo>(anon).groups == std::vector<std::string>{"system:unauthenticated"});
  auto unauth = impersonate(requester(), {{"Impersonate-User", "x"},
                                          {"Impersonate-Group", "system:unauthenticated"}},
                            "/api", std::ref(r));
  CHECK(std::get<UserInfo>(unauth).groups ==
        std::vector<std::string>{"system:unauthenticated"});
}

TEST_CASE("refusals: a denied part and parts without a user", "[impersonation]") {
  Recorder r{{"system:masters"}};
  auto denied = impersonate(requester(), {{"Impersonate-User", "alice"},
                                          {"Impersonate-Group", "system:masters"}},
                            "/api", std::ref(r));
  REQUIRE(std::holds_alternative<ImpersonationRefusal>(denied));
  const auto& refusal = std::get<ImpersonationRefusal>(denied);
  CHECK(refusal.code == 403);
  auto body = nlohmann::json::parse(refusal.body);
  CHECK(body["message"] ==
        "groups \"system:masters\" is forbidden: User \"imp\" cannot impersonate resource "
        "\"groups\" in API group \"\" at the cluster scope");

  auto targets = impersonationTargets({{"Impersonate-Group", "devs"},
                                       {"Impersonate-Extra-Scopes", "view"}});
  REQUIRE_FALSE(targets.ok());
  CHECK(targets.status().message() ==
        "requested [{Group  devs    } {UserExtra  view  authentication.k8s.io/v1  scopes}] "
        "without impersonating a user");
  auto missing = impersonate(requester(), {{"Impersonate-Uid", "u"}}, "/api?x=<1>",
                             std::ref(r));
  const auto& internal = std::get<ImpersonationRefusal>(missing);
  CHECK(internal.code == 500);
  CHECK(internal.body ==
        "Internal Server Error: \"/api?x=&lt;1&gt;\": requested [{UID  u  "
        "authentication.k8s.io/v1  }] without impersonating a user\n");
}
