// ysctl, the admin CLI of yingshang: commands, help and exit codes. The
// executable's main (ysctl_main.cc) only calls RunYsctl; tests call it too.
#ifndef YINGSHANG_CLIENT_YSCTL_H_
#define YINGSHANG_CLIENT_YSCTL_H_

#include <ostream>
#include <string>
#include <vector>

namespace yingshang::cli {

// Exit codes that scripts can rely on.
inline constexpr int kExitOk = 0;
// The operation failed: a document was rejected, an item was not found, the
// server returned an error, a local file could not be read or processed.
inline constexpr int kExitFailure = 1;
// Usage error: unknown command or option, bad value, missing argument; also
// a request the server refused as INVALID_ARGUMENT.
inline constexpr int kExitUsage = 2;
// The server could not be reached (UNAVAILABLE).
inline constexpr int kExitUnavailable = 3;

// Runs ysctl with `args` (argv without the program name), writing results to
// `out` and messages to `err`; returns the exit code. Reads YS_SERVER from
// the environment when --server is not given.
int RunYsctl(const std::vector<std::string>& args, std::ostream& out,
             std::ostream& err);

}  // namespace yingshang::cli

#endif  // YINGSHANG_CLIENT_YSCTL_H_
