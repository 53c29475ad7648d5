#include "controllers/serviceaccount/serviceaccount_controller.h"

#include "common/log.h"

namespace tug::controllers {
namespace {

constexpr const char* kLog = "serviceaccount-controller";
constexpr const char* kDefault = "default";

const client::Resource kNamespaces{"", "v1", "namespaces", false};
const client::Resource kServiceAccounts{"", "v1", "serviceaccounts", true};

std::string meta(const client::json& obj, const char* key) {
  const auto& m = obj.value("metadata", client::json::object());
  return m.value(key, "");
}

}  // namespace

ServiceAccountController::ServiceAccountController(client::Client& client)
    : client_(client),
      namespaces_(client, kNamespaces),
      serviceAccounts_(client, kServiceAccounts) {
  auto namespaceChanged = [this](const client::json& ns) { queue_.add(meta(ns, "name")); };
  handlers_ += namespaces_.addHandlers(client::EventHandlers{
      namespaceChanged,
      [namespaceChanged](const client::json&, const client::json& now) { namespaceChanged(now); },
      nullptr});
  handlers_ += serviceAccounts_.addHandlers(
      client::EventHandlers{nullptr, nullptr, [this](const client::json& sa) {
                              if (meta(sa, "name") == kDefault) {
                                queue_.add(meta(sa, "namespace"));
                              }
                            }});
}

ServiceAccountController::~ServiceAccountController() { stop(); }

void ServiceAccountController::start() {
  serviceAccounts_.start();
  serviceAccounts_.waitForSync(std::chrono::seconds(10));
  namespaces_.start();
  worker_ = std::thread([this] { work(); });
}

void ServiceAccountController::stop() {
  queue_.shutDown();
  client::stopInformers({&namespaces_, &serviceAccounts_});
  if (worker_.joinable()) {
    worker_.join();
  }
}

void ServiceAccountController::work() {
  while (auto key = queue_.get()) {
    Status s = sync(*key);
    if (s.isOk()) {
      queue_.forget(*key);
    } else {
      TUG_LOG(kWarn, kLog) << "namespace " << *key << ": " << s.message();
      queue_.addRateLimited(*key);
    }
    queue_.done(*key);
  }
}

Status ServiceAccountController::sync(const std::string& ns) {
  auto namespaceObj = namespaces_.get("", ns);
  if (!namespaceObj || namespaceObj->value("metadata", client::json::object())
                           .contains("deletionTimestamp")) {
    return Status::ok();  // gone or going: nothing to keep
  }
  if (serviceAccounts_.get(ns, kDefault)) {
    return Status::ok();
  }
  client::json sa = {{"apiVersion", "v1"},
                     {"kind", "ServiceAccount"},
                     {"metadata", {{"name", kDefault}, {"namespace", ns}}}};
  auto created = client_.create(kServiceAccounts, ns, sa);
  if (!created.ok() && created.status().code() != Code::kAlreadyExists) {
    // A namespace deleted meanwhile refuses new content: nothing to do.
    return created.status().code() == Code::kForbidden ||
                   created.status().code() == Code::kNotFound
               ? Status::ok()
               : created.status();
  }
  return Status::ok();
}

}  // namespace tug::controllers
