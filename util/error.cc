// SPDX-License-Identifier: MIT
#include "util/error.h"

#include <cstring>

namespace zk {

std::string Error::describe() const {
  if (errnum == 0) return message;
  return message + ": " + std::strerror(errnum);
}

Error Error::wrap(std::string_view what) const {
  std::string m(what);
  m += ": ";
  m += message;
  return Error{errnum, std::move(m)};
}

}  // namespace zk
