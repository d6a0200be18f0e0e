/** Shell scripts the phone's /system/bin carries in place of Android's binaries. */

const PROP_FILES = '/system/build.prop /data/property/runtime.prop';

/** getprop [NAME [DEFAULT]]: one value, or every property as "[name]: [value]". */
export const GETPROP = `#!/system/bin/sh
if [ $# -eq 0 ]; then
  cat ${PROP_FILES} 2>/dev/null | awk '/^[^#=][^=]*=/ { k = substr($0, 1, index($0, "=") - 1); p[k] = substr($0, index($0, "=") + 1) }
    END { for (k in p) print "[" k "]: [" p[k] "]" }' | sort
  exit 0
fi
cat ${PROP_FILES} 2>/dev/null | awk -v want="$1" -v dflt="$2" '
  index($0, "=") > 1 && substr($0, 1, index($0, "=") - 1) == want { v = substr($0, index($0, "=") + 1); found = 1 }
  END { if (found) print v; else print dflt }'
`;

/** setprop NAME VALUE: runtime properties; ro.* ones cannot change once set. */
export const SETPROP = `#!/system/bin/sh
if [ $# -ne 2 ]; then echo "usage: setprop NAME VALUE" >&2; exit 1; fi
case "$1" in
  ro.*) if [ -n "$(getprop "$1")" ]; then echo "Failed to set property '$1' to '$2'." >&2; exit 1; fi ;;
esac
if [ "$(id -u)" != 0 ]; then echo "Failed to set property '$1' to '$2'." >&2; exit 1; fi
echo "$1=$2" >> /data/property/runtime.prop
`;

/**
 * su as root managers install it: "su -c CMD", "su 0 sh -c CMD", "su root CMD…", plain "su" for
 * a shell. Everything here already runs as root, so it only has to run the command.
 */
export const SU = `#!/system/bin/sh
command=
while [ $# -gt 0 ]; do
  case "$1" in
    -c|--command) shift; command="$*"; set --; break ;;
    -c*) command="\${1#-c}"; shift; command="$command $*"; set --; break ;;
    -|-l|--login|-p|-m|--preserve-environment|-mm|-M|--mount-master) shift ;;
    -s|--shell|-Z|--context|-t|--target) shift 2 ;;
    -v) echo "26.4:MAGISKSU"; exit 0 ;;
    -V) echo 26400; exit 0 ;;
    -h|--help) echo "usage: su [options] [-] [user [argument...]]"; exit 0 ;;
    0|root) shift ;;
    *) break ;;
  esac
done
if [ -n "$command" ]; then exec /system/bin/sh -c "$command"; fi
if [ $# -eq 0 ]; then exec /system/bin/sh; fi
exec "$@"
`;
