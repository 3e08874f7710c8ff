// SPDX-License-Identifier: MIT
#include "ondisk/vmcoreinfo_table.h"

#include <string>

#include <gtest/gtest.h>

#include "ondisk/vmcore.h"

namespace zk::ondisk {
namespace {

// The shape a 6.1 s390x kernel writes (values made up for the test).
constexpr std::string_view kText =
    "OSRELEASE=6.1.0-test\n"
    "BUILD-ID=0123456789abcdef\n"
    "PAGESIZE=4096\n"
    "SYMBOL(init_uts_ns)=00000000019a5e10\n"
    "SYMBOL(swapper_pg_dir)=1e34000\n"
    "SIZE(page)=64\n"
    "OFFSET(page.flags)=0\n"
    "OFFSET(page._refcount)=52\n"
    "LENGTH(zone.free_area)=11\n"
    "NUMBER(PG_lru)=4\n"
    "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=-129\n"
    "KERNELOFFSET=0\n"
    "CRASHTIME=1764940000\n";

VmcoreinfoTable parse_ok(std::string_view text, const VmcoreinfoLimits& limits = {}) {
  auto t = VmcoreinfoTable::parse(text, limits);
  EXPECT_TRUE(t) << t.error().describe();
  return t ? std::move(*t) : VmcoreinfoTable{};
}

TEST(VmcoreinfoTable, ReadsEveryKindOfEntry) {
  auto t = parse_ok(kText);
  EXPECT_EQ(t.entry_count(), 13u);
  EXPECT_EQ(t.ignored_lines(), 0u);
  EXPECT_EQ(t.os_release().value(), "6.1.0-test");
  EXPECT_EQ(t.page_size().value(), 4096u);
  EXPECT_EQ(t.symbol("init_uts_ns").value(), 0x19a5e10u);
  EXPECT_EQ(t.symbol("swapper_pg_dir").value(), 0x1e34000u);
  EXPECT_EQ(t.size("page").value(), 64u);
  EXPECT_EQ(t.offset("page.flags").value(), 0u);
  EXPECT_EQ(t.offset("page._refcount").value(), 52u);
  EXPECT_EQ(t.length("zone.free_area").value(), 11u);
  EXPECT_EQ(t.number("PG_lru").value(), 4);
  EXPECT_EQ(t.number("PAGE_BUDDY_MAPCOUNT_VALUE").value(), -129);
  EXPECT_EQ(t.kernel_offset().value(), 0u);
  EXPECT_EQ(t.crash_time().value(), 1764940000);
  EXPECT_EQ(t.raw("BUILD-ID"), "0123456789abcdef");
}

TEST(VmcoreinfoTable, AbsentKeyIsAnErrorNamingIt) {
  auto t = parse_ok(kText);
  auto v = t.offset("page.mapping");
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().message.find("OFFSET(page.mapping)"), std::string::npos);
  EXPECT_FALSE(t.has("SIZE(pglist_data)"));
  EXPECT_FALSE(t.raw("OSREL"));  // a prefix of a key is not the key
}

TEST(VmcoreinfoTable, ValuesOfTheWrongShapeAreRefused) {
  auto t = parse_ok(
      "SIZE(page)=0x40\nSIZE(a)=-1\nSIZE(b)= 64\nSIZE(c)=\nSYMBOL(x)=0x10\nSYMBOL(y)=12g4\n"
      "NUMBER(n)=--1\nNUMBER(m)=4a\nPAGESIZE=4095\nOSRELEASE=\n");
  for (auto key : {"page", "a", "b", "c"}) EXPECT_FALSE(t.size(key)) << key;
  EXPECT_FALSE(t.symbol("x"));
  EXPECT_FALSE(t.symbol("y"));
  EXPECT_FALSE(t.number("n"));
  EXPECT_FALSE(t.number("m"));
  auto ps = t.page_size();
  ASSERT_FALSE(ps);
  EXPECT_NE(ps.error().message.find("power of two"), std::string::npos);
  EXPECT_FALSE(t.os_release());
}

TEST(VmcoreinfoTable, NumbersAreCheckedForOverflow) {
  auto t = parse_ok(
      "SYMBOL(max)=ffffffffffffffff\nSYMBOL(over)=10000000000000000\n"
      "SYMBOL(zeros)=00000000000000000001\n"
      "SIZE(max)=18446744073709551615\nSIZE(over)=18446744073709551616\n"
      "NUMBER(min)=-9223372036854775808\nNUMBER(under)=-9223372036854775809\n"
      "NUMBER(max)=9223372036854775807\nNUMBER(over)=9223372036854775808\n");
  EXPECT_EQ(t.symbol("max").value(), UINT64_MAX);
  EXPECT_FALSE(t.symbol("over"));
  EXPECT_EQ(t.symbol("zeros").value(), 1u);
  EXPECT_EQ(t.size("max").value(), UINT64_MAX);
  EXPECT_FALSE(t.size("over"));
  EXPECT_EQ(t.number("min").value(), INT64_MIN);
  EXPECT_FALSE(t.number("under"));
  EXPECT_EQ(t.number("max").value(), INT64_MAX);
  EXPECT_FALSE(t.number("over"));
}

TEST(VmcoreinfoTable, RepeatedKeyWithTheSameValueIsOneEntry) {
  auto t = parse_ok("SIZE(page)=64\nSIZE(page)=64\n");
  EXPECT_EQ(t.entry_count(), 1u);
  EXPECT_EQ(t.size("page").value(), 64u);
  EXPECT_TRUE(t.ambiguous_keys().empty());
}

TEST(VmcoreinfoTable, ContradictingValuesMakeTheKeyUnusable) {
  auto t = parse_ok("NUMBER(PG_lru)=4\nSIZE(page)=64\nSIZE(page)=72\nNUMBER(PG_lru)=5\n");
  auto v = t.size("page");
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().message.find("\"64\" and \"72\""), std::string::npos) << v.error().message;
  EXPECT_FALSE(t.raw("SIZE(page)"));
  EXPECT_FALSE(t.number("PG_lru"));
  EXPECT_EQ(t.ambiguous_keys(), (std::vector<std::string>{"NUMBER(PG_lru)", "SIZE(page)"}));
}

TEST(VmcoreinfoTable, MalformedLinesAreCountedNotEntries) {
  auto t = parse_ok("no equals sign\n=novalue\nkey with blank=1\n\nSIZE(page)=64");
  EXPECT_EQ(t.entry_count(), 1u);
  EXPECT_EQ(t.ignored_lines(), 3u);
  EXPECT_EQ(t.size("page").value(), 64u);  // the last line needs no newline
}

TEST(VmcoreinfoTable, ValueMayHoldEqualsSigns) {
  auto t = parse_ok("KEY=a=b\n");
  EXPECT_EQ(t.raw("KEY"), "a=b");
}

TEST(VmcoreinfoTable, LimitsAreEnforced) {
  VmcoreinfoLimits limits;
  limits.max_text_bytes = 16;
  EXPECT_FALSE(VmcoreinfoTable::parse("SIZE(page)=64\nSIZE(x)=1\n", limits));
  limits = {};
  limits.max_line_bytes = 8;
  auto r = VmcoreinfoTable::parse("A=1\nSIZE(page)=64\n", limits);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("line 2"), std::string::npos);
  limits = {};
  limits.max_entries = 2;
  EXPECT_TRUE(VmcoreinfoTable::parse("A=1\nB=2\njunk\n", limits));
  EXPECT_FALSE(VmcoreinfoTable::parse("A=1\nB=2\nC=3\n", limits));
}

TEST(VmcoreinfoTable, VmcoreinfoValueAnswersThroughTheTable) {
  EXPECT_EQ(vmcoreinfo_value(kText, "OSRELEASE"), "6.1.0-test");
  EXPECT_EQ(vmcoreinfo_value("X=1\nX=2\n", "X"), "");  // ambiguous
  EXPECT_EQ(vmcoreinfo_value("X=1\nX=1\n", "X"), "1");
}

}  // namespace
}  // namespace zk::ondisk
