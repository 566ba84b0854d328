import { profileEnv } from './profile-env'
const { env, agent } = await profileEnv({ demoTickets: 300 })
const res = await agent.get('/api/v1/tickets?assignee=me&statusCategory=new&statusCategory=open&statusCategory=pending&statusCategory=on_hold&sort=-updatedAt')
const body = res.json()
console.log('bytes', res.body.length, 'items', body.items.length)
console.log(JSON.stringify(body.items.find((i: any) => i.sla?.firstResponse)?.sla ?? body.items[0].sla, null, 1))
await env.close()
