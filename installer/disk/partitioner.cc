// SPDX-License-Identifier: MIT
#include "installer/disk/partitioner.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include <libfdisk.h>

#include "installer/disk/sizing.h"
#include "util/strings.h"

namespace zk::installer::disk {
namespace {

using ull = unsigned long long;

// RAII for libfdisk's reference-counted objects.
struct ContextUnref {
  void operator()(fdisk_context* c) const { fdisk_unref_context(c); }
};
struct PartitionUnref {
  void operator()(fdisk_partition* p) const { fdisk_unref_partition(p); }
};
struct TypeUnref {
  void operator()(fdisk_parttype* t) const { fdisk_unref_parttype(t); }
};
struct TableUnref {
  void operator()(fdisk_table* t) const { fdisk_unref_table(t); }
};
using ContextPtr = std::unique_ptr<fdisk_context, ContextUnref>;
using PartitionPtr = std::unique_ptr<fdisk_partition, PartitionUnref>;
using TypePtr = std::unique_ptr<fdisk_parttype, TypeUnref>;
using TablePtr = std::unique_ptr<fdisk_table, TableUnref>;

/// The bytes a GPT keeps at the end of the disk: the backup entries (128 x 128 bytes) and the
/// backup header.
uint64_t gpt_tail_bytes(uint32_t sector_size) {
  const uint64_t entry_sectors = (128u * 128u + sector_size - 1) / sector_size;
  return (entry_sectors + 1) * sector_size;
}

/// libfdisk reports through "ask" callbacks; collect its messages instead of printing them,
/// and answer every question with "no" (we ask libfdisk nothing interactive).
int collect_messages(fdisk_context*, fdisk_ask* ask, void* data) {
  auto* out = static_cast<std::vector<std::string>*>(data);
  switch (fdisk_ask_get_type(ask)) {
    case FDISK_ASKTYPE_INFO:
    case FDISK_ASKTYPE_WARNX:
      if (const char* m = fdisk_ask_print_get_mesg(ask)) out->emplace_back(m);
      return 0;
    case FDISK_ASKTYPE_WARN:
      if (const char* m = fdisk_ask_print_get_mesg(ask)) {
        std::string text = m;
        if (int e = fdisk_ask_print_get_errno(ask)) text += std::string(": ") + std::strerror(e);
        out->push_back(text);
      }
      return 0;
    default: return -EINVAL;
  }
}

std::unexpected<Error> fdisk_failure(int rc, const std::string& what) {
  return fail_errno(rc < 0 ? -rc : EINVAL, what);
}

}  // namespace

const char* label_name(ondisk::LabelType label) {
  switch (label) {
    case ondisk::LabelType::kDos: return "dos";
    case ondisk::LabelType::kGpt: return "gpt";
    case ondisk::LabelType::kNone: break;
  }
  return "none";
}

Result<PartitionPlan> plan_partition(uint64_t disk_size, uint32_t sector_size,
                                     ondisk::LabelType label, uint64_t wanted) {
  if (sector_size != 512 && sector_size != 4096)
    return fail(
        util::format("unsupported sector size %u (zipl supports 512 and 4096)", sector_size));
  if (label == ondisk::LabelType::kNone) return fail("no label type given");
  PartitionPlan p;
  p.label = label;
  p.sector_size = sector_size;
  p.disk_size = disk_size - disk_size % sector_size;
  p.start = kAlignment;
  // The end the label allows: the disk's end, before the backup GPT, within 2^32 DOS sectors.
  uint64_t end = p.disk_size;
  if (label == ondisk::LabelType::kGpt)
    end = end > gpt_tail_bytes(sector_size) ? end - gpt_tail_bytes(sector_size) : 0;
  const uint64_t dos_limit = (uint64_t{1} << 32) * sector_size;
  if (label == ondisk::LabelType::kDos && end > dos_limit) {
    end = dos_limit;
    p.capped_by_label = true;
  }
  end -= end % kAlignment;
  const uint64_t room = end > p.start ? end - p.start : 0;
  if (wanted == 0) {
    p.capped_by_label = p.capped_by_label && room > 0;
    p.size = room;
  } else {
    p.capped_by_label = false;
    p.size = wanted + (kAlignment - wanted % kAlignment) % kAlignment;
    if (p.size > room) {
      if (label == ondisk::LabelType::kDos && p.start + p.size > dos_limit)
        return fail(util::format(
            "a partition of %s does not fit in a DOS label on %u-byte sectors "
            "(at most %s): use --label gpt",
            util::human_size(p.size).c_str(), sector_size, util::human_size(room).c_str()));
      return fail(
          util::format("a partition of %s does not fit on the disk (%s; %s usable from 1 MiB on)",
                       util::human_size(p.size).c_str(), util::human_size(disk_size).c_str(),
                       util::human_size(room).c_str()));
    }
  }
  if (p.size == 0)
    return fail(util::format("the disk (%s) is too small for any partition aligned to 1 MiB",
                             util::human_size(disk_size).c_str()));
  return p;
}

std::string render_sfdisk_script(const PartitionPlan& plan) {
  const uint64_t ss = plan.sector_size;
  std::string type = plan.label == ondisk::LabelType::kGpt ? kGptPartitionType
                                                           : util::format("%x", kDosPartitionType);
  return util::format(
      "label: %s\nunit: sectors\nsector-size: %u\n\nstart=%llu, size=%llu, type=%s\n",
      label_name(plan.label), plan.sector_size, static_cast<ull>(plan.start / ss),
      static_cast<ull>(plan.size / ss), type.c_str());
}

Result<WrittenTable> write_partition_table(const std::string& path, const PartitionPlan& plan) {
  WrittenTable out;
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) return fail_errno(errno, "stat " + path);
  const bool block = S_ISBLK(st.st_mode);
  if (!block && !S_ISREG(st.st_mode))
    return fail(path + " is neither a block device nor a disk image file");
  if (plan.number != 1 || plan.size == 0 || plan.start % plan.sector_size ||
      plan.size % plan.sector_size)
    return fail("write_partition_table: malformed plan");

  ContextPtr cxt(fdisk_new_context());
  if (!cxt) return fail_errno(ENOMEM, "libfdisk: new context");
  fdisk_set_ask(cxt.get(), collect_messages, &out.messages);
  if (!block) {
    // An image does not know its sector size: libfdisk takes ours.
    if (int rc = fdisk_save_user_sector_size(cxt.get(), plan.sector_size, plan.sector_size); rc < 0)
      return fdisk_failure(rc, "libfdisk: set the sector size of " + path);
  }
  if (int rc = fdisk_assign_device(cxt.get(), path.c_str(), 0); rc < 0)
    return fdisk_failure(rc, "libfdisk: open " + path);
  if (fdisk_get_sector_size(cxt.get()) != plan.sector_size)
    return fail(util::format("%s has %lu-byte sectors, the plan %u-byte ones", path.c_str(),
                             fdisk_get_sector_size(cxt.get()), plan.sector_size));
  if (fdisk_get_nsectors(cxt.get()) * plan.sector_size < plan.start + plan.size)
    return fail(path + " is smaller than the planned partition");

  // The table the kernel knows now, for BLKPG should BLKRRPART be refused.
  TablePtr original;
  if (block && fdisk_has_label(cxt.get()) == 1) {
    fdisk_table* tb = nullptr;
    if (fdisk_get_partitions(cxt.get(), &tb) == 0) original.reset(tb);
  }

  if (int rc = fdisk_create_disklabel(cxt.get(), label_name(plan.label)); rc < 0)
    return fdisk_failure(
        rc, std::string("libfdisk: create a ") + label_name(plan.label) + " label on " + path);
  fdisk_label* lb = fdisk_get_label(cxt.get(), nullptr);
  TypePtr type(plan.label == ondisk::LabelType::kGpt
                   ? fdisk_label_get_parttype_from_string(lb, kGptPartitionType)
                   : fdisk_label_get_parttype_from_code(lb, kDosPartitionType));
  if (!type) return fail("libfdisk does not know the partition type of the dump partition");

  PartitionPtr pa(fdisk_new_partition());
  if (!pa) return fail_errno(ENOMEM, "libfdisk: new partition");
  const uint64_t ss = plan.sector_size;
  int rc = fdisk_partition_set_start(pa.get(), plan.start / ss);
  if (rc == 0) rc = fdisk_partition_set_size(pa.get(), plan.size / ss);
  if (rc == 0) rc = fdisk_partition_size_explicit(pa.get(), 1);
  if (rc == 0) rc = fdisk_partition_set_partno(pa.get(), plan.number - 1);
  if (rc == 0) rc = fdisk_partition_set_type(pa.get(), type.get());
  if (rc < 0) return fdisk_failure(rc, "libfdisk: describe the partition");
  size_t partno = 0;
  if (rc = fdisk_add_partition(cxt.get(), pa.get(), &partno); rc < 0)
    return fdisk_failure(
        rc, util::format("libfdisk: add partition %u (start sector %llu, %llu sectors) on %s",
                         plan.number, static_cast<ull>(plan.start / ss),
                         static_cast<ull>(plan.size / ss), path.c_str()));

  // What libfdisk made must be what we planned (it aligns and clips on its own otherwise).
  fdisk_partition* raw = nullptr;
  if (rc = fdisk_get_partition(cxt.get(), partno, &raw); rc < 0)
    return fdisk_failure(rc, "libfdisk: read back the new partition");
  PartitionPtr got(raw);
  if (partno != plan.number - 1 || fdisk_partition_get_start(got.get()) != plan.start / ss ||
      fdisk_partition_get_size(got.get()) != plan.size / ss)
    return fail(
        util::format("libfdisk would write partition %zu at sector %llu with %llu sectors, not "
                     "partition %u at %llu with %llu: nothing was written",
                     partno + 1, static_cast<ull>(fdisk_partition_get_start(got.get())),
                     static_cast<ull>(fdisk_partition_get_size(got.get())), plan.number,
                     static_cast<ull>(plan.start / ss), static_cast<ull>(plan.size / ss)));

  if (rc = fdisk_write_disklabel(cxt.get()); rc < 0)
    return fdisk_failure(rc, "libfdisk: write the partition table to " + path);
  if (block) {
    out.kernel_notified = fdisk_reread_partition_table(cxt.get()) == 0;
    if (!out.kernel_notified && original)
      out.kernel_notified = fdisk_reread_changes(cxt.get(), original.get()) == 0;
    if (!out.kernel_notified)
      out.reread_problem = out.messages.empty() ? "the kernel did not re-read the partition table"
                                                : out.messages.back();
  }
  if (rc = fdisk_deassign_device(cxt.get(), 0); rc < 0)
    return fdisk_failure(rc, "libfdisk: sync and close " + path);
  return out;
}

}  // namespace zk::installer::disk
