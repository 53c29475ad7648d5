#include "common/go_quote.h"

#include <catch2/catch.hpp>

using tug::goQuote;

TEST_CASE("strings are quoted as Go's %q quotes them", "[auth][quote]") {
  CHECK(goQuote("bob") == R"("bob")");
  CHECK(goQuote("") == R"("")");
  CHECK(goQuote("a\"b\\c") == R"("a\"b\\c")");
  CHECK(goQuote("\n\t\r\a\b\f\v") == R"("\n\t\r\a\b\f\v")");
  CHECK(goQuote(std::string("\x00\x1b\x7f", 3)) == R"("\x00\x1b\x7f")");
  CHECK(goQuote("caf\xc3\xa9 \xe6\x97\xa5") == "\"caf\xc3\xa9 \xe6\x97\xa5\"");
  CHECK(goQuote("\xff") == R"("\xff")");
  CHECK(goQuote("\xc3") == R"("\xc3")");            // truncated sequence
  CHECK(goQuote("\xc0\xaf") == R"("\xc0\xaf")");    // overlong form
  CHECK(goQuote("\xc2\xa0") == R"("\u00a0")");      // no-break space
  CHECK(goQuote("\xef\xbb\xbf") == R"("\ufeff")");  // byte order mark
  CHECK(goQuote("\xf0\x9f\x98\x80") == "\"\xf0\x9f\x98\x80\"");
}

TEST_CASE("string lists are quoted as Go's %q prints a []string", "[auth][quote]") {
  CHECK(goQuote(std::vector<std::string>{}) == "[]");
  CHECK(goQuote(std::vector<std::string>{"a", "b c"}) == R"(["a" "b c"])");
}
