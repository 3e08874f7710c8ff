# SPDX-License-Identifier: MIT
# bash completion for zfcpdump-install(8), installed as
# share/bash-completion/completions/zfcpdump-install. Plain bash: it works with and without the
# bash-completion package. The option lists follow each subcommand's --help (a test compares
# them).

_zfcpdump_install_options() {
  local common="--config --json --quiet -q --help -h"
  case $1 in
    ramdisk) echo "--output -o --compress --dumper --force --dumper-param --dump-level --kernel-config --list --dry-run -n $common" ;;
    build) echo "--kernel --kernel-map --kernel-config --kernel-source --config-fragment --compress --dumper --force --dry-run -n --dumper-param --dump-level --hsa-size --root --zfcpdump-dir $common" ;;
    disk) echo "--dry-run -n --yes -y --force -f --allow-small --label --partition --size --dump-area --dump-level --memory --sector-size --zipl --write-dumpconf --root $common" ;;
    check) echo "--memory --root --verify $common" ;;
    save) echo "--format --compress --dump-level -d --keep --min-free --registered --release --force --root $common" ;;
    hook) echo "--kernel-config --dumper --force --dry-run -n --hsa-size --zipl --root $common" ;;
  esac
}

_zfcpdump_install() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  local commands="ramdisk build disk check save hook"
  COMPREPLY=()
  if ((COMP_CWORD == 1)); then
    mapfile -t COMPREPLY < <(compgen -W "$commands --help --version" -- "$cur")
    return
  fi
  local command=${COMP_WORDS[1]}

  # The value of the option before the cursor.
  case $prev in
    --compress)
      if [[ $command == save ]]; then
        mapfile -t COMPREPLY < <(compgen -W "zstd lzo snappy zlib none" -- "$cur")
      else
        mapfile -t COMPREPLY < <(compgen -W "gzip xz zstd lz4 none" -- "$cur")
      fi
      return ;;
    --format) mapfile -t COMPREPLY < <(compgen -W "kdump elf" -- "$cur"); return ;;
    --label) mapfile -t COMPREPLY < <(compgen -W "dos gpt" -- "$cur"); return ;;
    --sector-size) mapfile -t COMPREPLY < <(compgen -W "512 4096" -- "$cur"); return ;;
    --root | --zfcpdump-dir | --kernel-source) mapfile -t COMPREPLY < <(compgen -d -- "$cur"); return ;;
    --output | -o | --list | --config | --kernel | --kernel-config | --config-fragment | --dumper | --zipl)
      mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return ;;
    --dumper-param)
      mapfile -t COMPREPLY < <(compgen -W "dump_debug= zfcpdump.action=reipl zfcpdump.action=poweroff zfcpdump.action=halt zfcpdump.disk_timeout= zfcpdump.progress= zfcpdump.dump_level=" -- "$cur")
      return ;;
    --hsa-size | --size | --memory | --partition | --dump-level | -d | --keep | --min-free) return ;;
  esac

  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_zfcpdump_install_options "$command")" -- "$cur")
    return
  fi
  case $command in
    hook)
      local i words=0
      for ((i = 2; i < COMP_CWORD; i++)); do [[ ${COMP_WORDS[i]} != -* ]] && ((words++)); done
      if ((words == 0)); then
        mapfile -t COMPREPLY < <(compgen -W "add remove refresh rezipl" -- "$cur")
      elif ((words == 2)); then
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      fi
      ;;
    disk | check)
      mapfile -t COMPREPLY < <(compgen -f -- "${cur:-/dev/}")
      ;;
    save)  # DEVICE, then DIR
      mapfile -t COMPREPLY < <(compgen -f -- "${cur:-/dev/}")
      ;;
  esac
}

complete -F _zfcpdump_install zfcpdump-install
