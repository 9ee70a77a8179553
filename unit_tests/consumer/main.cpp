// Uses the installed sssn_actors package: prints one line made by the library.
#include <iostream>

#include "sssn/error.hpp"

int main() {
  auto err = sssn::make_error(sssn::ec::overloaded, "channel 'x' is full");
  if (!sssn::is(err, sssn::ec::overloaded)) {
    std::cerr << "consumer: unexpected error code\n";
    return 1;
  }
  std::cout << "consumer ok: " << sssn::error_message(err) << '\n';
  return 0;
}
