// SPDX-License-Identifier: MIT
#include "filter/kernel_layout.h"

#include <bit>

#include "filter/dump_level.h"
#include "util/strings.h"

namespace zk::filter {
namespace {

using ull = unsigned long long;

constexpr unsigned kOldestKnown = 4016;   // 4.16: one-byte compound order and destructor
constexpr unsigned kFirstUnknown = 6003;  // 6.3: compound fields moved into struct folio

std::unexpected<Error> refuse(const Error& e) {
  return std::unexpected(Error{e.errnum, "cannot filter: " + e.message});
}
std::unexpected<Error> refuse(std::string why) { return refuse(Error{0, std::move(why)}); }

/// Reads the entries one after another; the first failure is kept and later reads do nothing.
class Reader {
 public:
  explicit Reader(const ondisk::VmcoreinfoTable& t) : t_(t) {}

  /// OFFSET(name): `width` bytes at it must lie inside a struct page of `page_size` bytes.
  uint64_t offset(const char* name, unsigned width, uint64_t page_size) {
    auto v = t_.offset(name);
    if (!keep(v)) return 0;
    if (*v > page_size || width > page_size - *v)
      bad(util::format("VMCOREINFO OFFSET(%s)=%llu leaves no %u bytes in a struct page of %llu",
                       name, static_cast<ull>(*v), width, static_cast<ull>(page_size)));
    return *v;
  }
  /// NUMBER(name) as a bit number of the 64-bit page flags.
  unsigned flag(const char* name) {
    auto v = t_.number(name);
    if (!keep(v)) return 0;
    if (*v < 0 || *v > 63)
      bad(util::format("VMCOREINFO NUMBER(%s)=%lld is not a bit of 64-bit page flags", name,
                       static_cast<long long>(*v)));
    return static_cast<unsigned>(*v);
  }
  std::optional<unsigned> optional_flag(const char* name) {
    if (!t_.has(util::format("NUMBER(%s)", name))) return std::nullopt;
    return flag(name);
  }
  /// NUMBER(name) as a 32-bit _mapcount value.
  int32_t mapcount(const char* name) {
    auto v = t_.number(name);
    if (!keep(v)) return 0;
    if (*v < INT32_MIN || *v > INT32_MAX)
      bad(util::format("VMCOREINFO NUMBER(%s)=%lld does not fit _mapcount's 32 bits", name,
                       static_cast<long long>(*v)));
    return static_cast<int32_t>(*v);
  }
  template <class T>
  T value(Result<T> v) {
    return keep(v) ? *v : T{};
  }
  void bad(std::string why) {
    if (!error_) error_ = Error{0, std::move(why)};
  }
  [[nodiscard]] const std::optional<Error>& error() const { return error_; }
  [[nodiscard]] const ondisk::VmcoreinfoTable& table() const { return t_; }

 private:
  template <class T>
  bool keep(const Result<T>& v) {
    if (v) return !error_;
    if (!error_) error_ = v.error();
    return false;
  }
  const ondisk::VmcoreinfoTable& t_;
  std::optional<Error> error_;
};

}  // namespace

std::optional<unsigned> kernel_version_code(std::string_view release) {
  auto dot = release.find('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  size_t end = dot + 1;
  while (end < release.size() && release[end] >= '0' && release[end] <= '9') ++end;
  auto major = util::parse_u64(release.substr(0, dot));
  auto minor = util::parse_u64(release.substr(dot + 1, end - dot - 1));
  if (!major || !minor || *major > 1000 || *minor > 999) return std::nullopt;
  return static_cast<unsigned>(*major * 1000 + *minor);
}

Result<PageLayout> read_page_layout(const ondisk::VmcoreinfoTable& table, unsigned dump_level) {
  if (dump_level > kMaxDumpLevel)
    return refuse(util::format("dump level %u is not 0 to %u", dump_level, kMaxDumpLevel));
  PageLayout l;
  auto ps = table.page_size();
  if (!ps) return refuse(ps.error());
  l.page_size = *ps;
  l.page_shift = static_cast<unsigned>(std::countr_zero(l.page_size));
  if (!needs_page_structures(dump_level)) return l;

  auto release = table.os_release();
  if (!release) return refuse(release.error());
  auto version = kernel_version_code(*release);
  if (!version)
    return refuse(util::format("OSRELEASE %.*s is not a kernel release",
                               static_cast<int>(release->size()), release->data()));
  if (*version < kOldestKnown || *version >= kFirstUnknown)
    return refuse(util::format("Linux %.*s: the page structures are known from 4.16 up to 6.2 only",
                               static_cast<int>(release->size()), release->data()));

  Reader r(table);
  l.struct_page_size = r.value(table.size("page"));
  if (!r.error() &&
      (l.struct_page_size < 32 || l.struct_page_size > 256 || l.struct_page_size % 8 != 0))
    r.bad(
        util::format("VMCOREINFO SIZE(page)=%llu is not a struct page size (32 to 256, "
                     "a multiple of 8)",
                     static_cast<ull>(l.struct_page_size)));
  const uint64_t sp = l.struct_page_size;
  l.flags = r.offset("page.flags", 8, sp);
  l.mapping = r.offset("page.mapping", 8, sp);
  l.compound_head = r.offset("page.compound_head", 8, sp);
  l.compound_order = r.offset("page.compound_order", 1, sp);
  l.pg_head_mask = static_cast<uint64_t>(r.value(table.number("PG_head_mask")));
  if (!r.error() && !std::has_single_bit(l.pg_head_mask))
    r.bad(util::format("VMCOREINFO NUMBER(PG_head_mask)=%lld is not one flag bit",
                       static_cast<long long>(l.pg_head_mask)));
  if (table.has("NUMBER(HUGETLB_PAGE_DTOR)")) {
    const int64_t dtor = r.value(table.number("HUGETLB_PAGE_DTOR"));
    if (!r.error() && (dtor < 0 || dtor > 255))
      r.bad(
          util::format("VMCOREINFO NUMBER(HUGETLB_PAGE_DTOR)=%lld is not a one-byte "
                       "destructor number",
                       static_cast<long long>(dtor)));
    l.hugetlb_dtor = static_cast<uint64_t>(dtor);
    l.compound_dtor = r.offset("page.compound_dtor", 1, sp);
  }
  // Flags every level but zero pages consults (cache tests come before user and free in
  // makedumpfile's order, and the hwpoison and offline tests apply at every level).
  l.pg_lru = r.flag("PG_lru");
  l.pg_private = r.flag("PG_private");
  l.pg_swapcache = r.flag("PG_swapcache");
  l.pg_swapbacked = r.optional_flag("PG_swapbacked");
  l.pg_hwpoison = r.optional_flag("PG_hwpoison");
  l.pg_slab = r.flag("PG_slab");
  l.mapcount = r.offset("page._mapcount", 4, sp);
  if (table.has("NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)"))
    l.offline_mapcount = r.mapcount("PAGE_OFFLINE_MAPCOUNT_VALUE");
  if (dump_level & kExcludeFree) {
    l.private_ = r.offset("page.private", 8, sp);
    l.buddy_mapcount = r.mapcount("PAGE_BUDDY_MAPCOUNT_VALUE");
    l.free_area_orders = r.value(table.length("zone.free_area"));
    if (!r.error() && (l.free_area_orders == 0 || l.free_area_orders > 20))
      r.bad(util::format("VMCOREINFO LENGTH(zone.free_area)=%llu is not 1 to 20 orders",
                         static_cast<ull>(l.free_area_orders)));
  }

  // Sparse memory and the kernel's address space.
  l.mem_section = r.value(table.symbol("mem_section"));
  l.mem_section_size = r.value(table.size("mem_section"));
  if (!r.error() && (l.mem_section_size < 8 || l.mem_section_size > l.page_size ||
                     l.page_size % l.mem_section_size != 0))
    r.bad(util::format("VMCOREINFO SIZE(mem_section)=%llu does not divide a page",
                       static_cast<ull>(l.mem_section_size)));
  l.section_mem_map = r.offset("mem_section.section_mem_map", 8, l.mem_section_size);
  const int64_t section_bits = r.value(table.number("SECTION_SIZE_BITS"));
  const int64_t physmem_bits = r.value(table.number("MAX_PHYSMEM_BITS"));
  if (!r.error() && (section_bits <= l.page_shift || physmem_bits < section_bits ||
                     physmem_bits > 64 || physmem_bits - section_bits > 30))
    r.bad(
        util::format("VMCOREINFO NUMBER(SECTION_SIZE_BITS)=%lld and "
                     "NUMBER(MAX_PHYSMEM_BITS)=%lld do not describe sparse memory",
                     static_cast<long long>(section_bits), static_cast<long long>(physmem_bits)));
  l.section_size_bits = static_cast<unsigned>(section_bits);
  l.max_physmem_bits = static_cast<unsigned>(physmem_bits);
  if (!r.error()) {
    const uint64_t sections = uint64_t{1} << (l.max_physmem_bits - l.section_size_bits);
    const uint64_t implied = (sections + l.sections_per_root() - 1) / l.sections_per_root();
    if (table.has("LENGTH(mem_section)")) {
      l.mem_section_roots = r.value(table.length("mem_section"));
      // SPARSEMEM_EXTREME's root array is what this reader knows; a flat mem_section array
      // (one root per section) is another layout.
      if (!r.error() && l.mem_section_roots != implied)
        r.bad(
            util::format("VMCOREINFO LENGTH(mem_section)=%llu is not the %llu section roots "
                         "of SPARSEMEM_EXTREME",
                         static_cast<ull>(l.mem_section_roots), static_cast<ull>(implied)));
    } else {
      l.mem_section_roots = implied;
    }
  }
  l.swapper_pg_dir = r.value(table.symbol("swapper_pg_dir"));
  if (table.has("SYMBOL(high_memory)")) l.high_memory = r.value(table.symbol("high_memory"));
  if (r.error()) return refuse(*r.error());
  return l;
}

}  // namespace zk::filter
