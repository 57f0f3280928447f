#include "sampler/users.hpp"

#include <pwd.h>
#include <vector>

namespace procpulse::sampler {

std::string system_user_name(std::uint32_t uid) {
    std::vector<char> buf(4096);
    passwd pw{};
    passwd* res = nullptr;
    if (getpwuid_r(uid, &pw, buf.data(), buf.size(), &res) != 0 || !res) return {};
    return res->pw_name;
}

} // namespace procpulse::sampler
