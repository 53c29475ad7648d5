#include "apiserver/status_response.h"

#include <catch2/catch.hpp>

using namespace tug;
using tug::apiserver::statusObject;

TEST_CASE("errors become metav1.Status objects with upstream codes and reasons", "[apiserver]") {
  auto j = statusObject(notFound("pods \"web\" not found"));
  CHECK(j["kind"] == "Status");
  CHECK(j["apiVersion"] == "v1");
  CHECK(j["metadata"].is_object());
  CHECK(j["status"] == "Failure");
  CHECK(j["message"] == "pods \"web\" not found");
  CHECK(j["reason"] == "NotFound");
  CHECK(j["code"] == 404);

  CHECK(statusObject(gone("too old"))["code"] == 410);
  CHECK(statusObject(gone("too old"))["reason"] == "Expired");
  CHECK(statusObject(conflict("x"))["code"] == 409);
  CHECK(statusObject(invalid("x"))["code"] == 422);
  CHECK(statusObject(Status(Code::kUnauthorized, "Unauthorized"))["code"] == 401);
  CHECK(statusObject(Status(Code::kTimeout, "x"))["code"] == 504);
}

TEST_CASE("success is a Success status", "[apiserver]") {
  auto j = statusObject(Status::ok());
  CHECK(j["status"] == "Success");
  CHECK(j["code"] == 200);
  CHECK_FALSE(j.contains("reason"));
}
