import getpass, pwd, grp, os
print(getpass.getuser())
print(pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name)
