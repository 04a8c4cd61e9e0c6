// ysctl: the admin CLI of yingshang. See `ysctl --help`.
#include <iostream>
#include <string>
#include <vector>

#include "client/ysctl.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  const int code = yingshang::cli::RunYsctl(args, std::cout, std::cerr);
  std::cout.flush();
  return code;
}
