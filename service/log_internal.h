// yingshangd's structured log: one line per event, logfmt style, on stderr.
//
//   ts=2026-11-22T04:10:00.123Z level=info event=ingest doc=3f2a...
//     status=CREATED region=420115 indicators=33 seq=17 ms=4.2
// (one line in the log; wrapped here).
//
// Keys are fixed identifiers chosen by the code; values are written bare
// when they contain no space, quote, '=', backslash or control character,
// else quoted with \" \\ \n \r \t and \xNN escapes, so one event is always
// exactly one line. UTF-8 text (Chinese reasons, region names) stays as is.
//
// What is never logged: tokens or their hashes, document contents. Auth
// failures name the agency, or say "unknown token".
//
// Usage (the event is written when the temporary is destroyed, at the end of
// the full expression; nothing is formatted below the level):
//
//   LogEvent(LogLevel::kInfo, "ingest").Add("doc", id).Add("seq", seq);
//
// The level and the sink are process-wide (yingshangd --log_level; tests
// capture lines with LogCapture).
#ifndef YINGSHANG_SERVICE_LOG_INTERNAL_H_
#define YINGSHANG_SERVICE_LOG_INTERNAL_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace yingshang::service {

// Severity, lowest first. Do not reorder: levels are compared numerically.
enum class LogLevel : int { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// "debug", "info", "warn", "error".
const char* LogLevelName(LogLevel level);

// Parses a level name (case-insensitive; "warning" is accepted for "warn").
// False when `name` names no level.
bool ParseLogLevel(absl::string_view name, LogLevel* level);

// The process-wide minimum level written (default kInfo). Thread-safe.
void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();
// True when events of `level` are written.
bool LogEnabled(LogLevel level);

// Where complete lines (each ending in '\n') go. The default sink writes
// each line with one fwrite to stderr. The sink is called under the logger's
// mutex, so lines never interleave and the sink need not be thread-safe; it
// must not log itself.
using LogSink = std::function<void(absl::string_view line)>;
// Replaces the sink; an empty function restores the stderr sink. Returns
// the previous sink (empty for the stderr sink). Thread-safe.
LogSink SetLogSink(LogSink sink);

// `value` as a logfmt value: bare when safe, else quoted and escaped (see
// the file comment). An empty value is "".
std::string LogfmtValue(absl::string_view value);

// One complete line: ts, level, event, then `fields` in order, and '\n'.
// The time is UTC with milliseconds ("2026-11-22T04:10:00.123Z").
std::string FormatLogLine(
    absl::Time time, LogLevel level, absl::string_view event,
    const std::vector<std::pair<std::string, std::string>>& fields);

// One event under construction; written by the destructor when its level is
// enabled (checked once, at construction). Not thread-safe: use it as a
// temporary or a local within one thread.
class LogEvent {
 public:
  // `event` names what happened: "startup", "ingest", "subscription_open"...
  LogEvent(LogLevel level, absl::string_view event);
  ~LogEvent();

  LogEvent(const LogEvent&) = delete;
  LogEvent& operator=(const LogEvent&) = delete;

  // Appends key=value. `key` must be a bare identifier ([a-z_0-9]).
  LogEvent& Add(absl::string_view key, absl::string_view value);
  LogEvent& Add(absl::string_view key, const char* value) {
    return Add(key, absl::string_view(value == nullptr ? "" : value));
  }
  LogEvent& Add(absl::string_view key, const std::string& value) {
    return Add(key, absl::string_view(value));
  }
  LogEvent& Add(absl::string_view key, int64_t value);
  LogEvent& Add(absl::string_view key, uint64_t value);
  LogEvent& Add(absl::string_view key, int value) {
    return Add(key, static_cast<int64_t>(value));
  }
  LogEvent& Add(absl::string_view key, unsigned value) {
    return Add(key, static_cast<uint64_t>(value));
  }
  LogEvent& Add(absl::string_view key, bool value) {
    return Add(key, absl::string_view(value ? "on" : "off"));
  }
  // A duration in milliseconds with one decimal ("ms=4.2").
  LogEvent& AddMs(absl::string_view key, absl::Duration duration);

  bool enabled() const { return enabled_; }

 private:
  const LogLevel level_;
  const bool enabled_;
  const absl::Time time_;
  std::string event_;
  std::vector<std::pair<std::string, std::string>> fields_;
};

// For tests: while alive, every line written goes into this object instead
// of stderr (the previous sink is restored by the destructor). Thread-safe.
class LogCapture {
 public:
  LogCapture();
  ~LogCapture();
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  // Every line captured so far, concatenated.
  std::string text() const;
  // The captured lines containing "event=<event> " (or ending with it).
  std::vector<std::string> Lines(absl::string_view event) const;

 private:
  mutable absl::Mutex mu_;
  std::string text_ ABSL_GUARDED_BY(mu_);
  LogSink previous_;
};

}  // namespace yingshang::service

#endif  // YINGSHANG_SERVICE_LOG_INTERNAL_H_
