from lianxin.accounts.selectors import user_roles


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_roles": set()}
    return {"my_roles": user_roles(user)}
