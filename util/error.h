// SPDX-License-Identifier: MIT
#pragma once
/// The project's vocabulary for recoverable errors: a library returns `Result<T>` and never
/// prints; the caller logs the error once, with `Error::describe()`.

#include <expected>
#include <string>
#include <utility>

namespace zk {

/// What went wrong, with enough context to act on it ("read /dev/sda at 0x10000: Input/output
/// error"). `errnum` is the errno of a failed system call, or 0 for a logical error (bad magic,
/// a field out of range).
struct Error {
  int errnum = 0;
  std::string message;

  /// The message, followed by strerror(errnum) when errnum is set.
  [[nodiscard]] std::string describe() const;
  /// The same error with "what: " put in front, for adding context on the way up.
  [[nodiscard]] Error wrap(std::string_view what) const;
};

template <class T>
using Result = std::expected<T, Error>;

/// A logical error (no errno).
[[nodiscard]] inline std::unexpected<Error> fail(std::string message) {
  return std::unexpected<Error>(Error{0, std::move(message)});
}
/// A failed system call: `message` says what was attempted, `errnum` why it failed.
[[nodiscard]] inline std::unexpected<Error> fail_errno(int errnum, std::string message) {
  return std::unexpected<Error>(Error{errnum, std::move(message)});
}

}  // namespace zk
